// prepack: ship the built editor inside the runner's tarball, so `rivulet serve` serves it after npm install.
import { cpSync, existsSync, rmSync } from 'node:fs';

const from = new URL('../../editor/dist/', import.meta.url);
const to = new URL('../editor/', import.meta.url);
rmSync(to, { recursive: true, force: true });
if (existsSync(new URL('index.html', from))) cpSync(from, to, { recursive: true });
else process.stderr.write('editor not built: the packed runner serves the API page only\n');
