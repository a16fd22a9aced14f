// @rivulet/plugin-basics: inject, map/filter by a safe expression, throttle/debounce/delay, log, file in/out.
import { definePlugin } from '@rivulet/core';
import { debounceNode } from './debounce.js';
import { delayNode } from './delay.js';
import { fileInNode } from './file-in.js';
import { fileOutNode } from './file-out.js';
import { filterNode } from './filter.js';
import { injectNode } from './inject.js';
import { logNode } from './log.js';
import { mapNode } from './map.js';
import { throttleNode } from './throttle.js';

export { compileExpression, ExpressionError, type CompileOptions, type ExpressionErrorCode, type Scope } from './expression/index.js';
export { BasicsError, type BasicsErrorCode } from './errors.js';
export { debounceNode, delayNode, fileInNode, fileOutNode, filterNode, injectNode, logNode, mapNode, throttleNode };

export const version = '0.1.0';

export default definePlugin({
  name: '@rivulet/plugin-basics',
  version,
  nodes: [injectNode, mapNode, filterNode, throttleNode, debounceNode, delayNode, logNode, fileOutNode, fileInNode],
});
