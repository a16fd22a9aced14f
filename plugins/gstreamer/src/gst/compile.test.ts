import { describe, expect, it } from 'vitest';
import { explainGroup } from '../fuser.js';
import { fromNode, toNode } from '../nodes/boundary.js';
import { vp8Encoder, x264Encoder } from '../nodes/encoders.js';
import { fileSource, testVideo } from '../nodes/feeds.js';
import { pipeline } from '../nodes/pipeline.js';
import { fileSink } from '../nodes/sinks.js';
import { makeGroup } from '../test-support/group.js';
import { compileGroup } from './compile.js';
import { GstBuildError } from './fragment.js';

const camToFile = () =>
  makeGroup(
    [
      { id: 'cam', def: testVideo, params: { width: 320, height: 240 } },
      { id: 'enc', def: x264Encoder },
      { id: 'rec', def: fileSink, params: { path: '/media/a "b" c.mp4' } },
    ],
    ['cam.out -> enc.in', 'enc.out -> rec.in'],
  );

describe('compileGroup', () => {
  it('links test-video → x264 → mp4 through named elements, forcing I420 before x264enc', () => {
    const { text, argv, outputFds, inputFds } = compileGroup(camToFile());
    expect(text).toContain('capsfilter name=enc__i420 caps="video/x-raw,format=I420" ! x264enc name=enc__x264enc bitrate=2000');
    expect(text).toContain('cam__capsfilter. ! enc__videoconvert.');
    expect(text).toContain('enc__x264enc. ! h264parse name=rec__h264parse ! rec__mux.');
    expect(argv).toContain('location="/media/a \\"b\\" c.mp4"');
    expect(outputFds.size + inputFds.size).toBe(0);
  });

  it('fans an output out through a tee with one queue per consumer, boundary included', () => {
    const group = makeGroup(
      [
        { id: 'cam', def: testVideo },
        { id: 'enc', def: vp8Encoder },
        { id: 'rec', def: fileSink, params: { path: '/tmp/x.webm', container: 'webm' } },
        { id: 'tn', def: toNode },
      ],
      ['cam.out -> enc.in', 'enc.out -> rec.in', 'enc.out -> tn.in'],
    );
    const { text, outputFds } = compileGroup(group);
    expect(text).toContain('enc__vp8enc. ! tee name=enc__out_tee');
    expect(text).toContain('enc__out_tee. ! queue name=rec__out_to_rec ! rec__mux.');
    expect(text).toContain('enc__out_tee. ! queue name=tn__out_to_tn ! rtpvp8pay name=tn__rtpvp8pay pt=96');
    expect(text).toMatch(/tn__queue\. ! gdppay name=tn__out_gdppay crc-header=false ! fdsink name=tn__out_fdsink fd=3 sync=false/);
    expect([...outputFds]).toEqual([['tn.out', 3]]);
  });

  it('reads Node inputs from their own fd through gdpdepay', () => {
    const group = makeGroup(
      [
        { id: 'fn', def: fromNode, params: { codec: 'vp8' } },
        { id: 'rec', def: fileSink, params: { path: '/tmp/y.webm', container: 'webm' } },
      ],
      ['fn.out -> rec.in'],
    );
    const { text, inputFds, outputFds } = compileGroup(group);
    expect([...inputFds]).toEqual([['fn.in', 3]]);
    expect(outputFds.size).toBe(0);
    expect(text).toContain('fdsrc name=fn__in_fdsrc fd=3 ! gdpdepay name=fn__in_gdpdepay ! fn__rtpjitterbuffer.');
    expect(text).toContain('fn__rtpvp8depay. ! rec__mux.');
  });

  it('refuses raw video into a file sink, naming the node and the container param', () => {
    const group = makeGroup(
      [
        { id: 'cam', def: testVideo },
        { id: 'rec', def: fileSink, params: { path: '/tmp/z.mp4' } },
      ],
      ['cam.out -> rec.in'],
    );
    let error: unknown;
    try {
      compileGroup(group);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GstBuildError);
    expect((error as GstBuildError).nodeId).toBe('rec');
    expect((error as GstBuildError).param).toBe('container');
    expect((error as GstBuildError).message).toMatch(/node rec, param container: mp4 cannot hold video\/raw/);
  });

  it('refuses H.264 into a WebM file', () => {
    const group = makeGroup(
      [
        { id: 'cam', def: testVideo },
        { id: 'enc', def: x264Encoder },
        { id: 'rec', def: fileSink, params: { path: '/tmp/z.webm', container: 'webm' } },
      ],
      ['cam.out -> enc.in', 'enc.out -> rec.in'],
    );
    expect(() => compileGroup(group)).toThrow(/webm cannot hold video\/h264/);
  });

  it('prefixes the names a raw pipeline description defines and links its in/out elements', () => {
    const group = makeGroup(
      [
        { id: 'cam', def: testVideo },
        { id: 'flip', def: pipeline, params: { description: 'videoflip name=in method=clockwise ! videoscale ! video/x-raw,width=100 ! identity name=out' } },
        { id: 'enc', def: vp8Encoder },
      ],
      ['cam.out -> flip.in', 'flip.out -> enc.in'],
    );
    const compiled = compileGroup(group);
    expect(compiled.text).toContain('videoflip name=flip__in method=clockwise ! videoscale ! video/x-raw,width=100 ! identity name=flip__out');
    expect(compiled.text).toContain('cam__capsfilter. ! flip__in.');
    expect(compiled.text).toContain('flip__out. ! enc__videoconvert.');
    expect(compiled.ownerOf('flip__in')).toEqual({ node: 'flip' });
  });

  it('maps element instances back to their node and the param they reflect', () => {
    const compiled = compileGroup(camToFile());
    expect(compiled.ownerOf('rec__filesink')).toEqual({ node: 'rec', param: 'path' });
    expect(compiled.ownerOf('enc__videoconvert')).toEqual({ node: 'enc' });
    expect(compiled.ownerOf('queue7')).toBeUndefined();
  });

  it('builds a decoded source\'s unused branch only when nothing says which branches are used', () => {
    const encoded = compileGroup(
      makeGroup(
        [
          { id: 'file', def: fileSource, params: { path: '/media/a.mkv' } },
          { id: 'enc', def: vp8Encoder },
          { id: 'tn', def: toNode },
        ],
        ['file.video -> enc.in', 'enc.out -> tn.in'],
      ),
    );
    // An audio branch that never gets a pad would hold preroll and EOS of the whole pipeline.
    expect(encoded.text).not.toContain('audio/x-raw');
    expect([...encoded.outputFds.keys()]).toEqual(['tn.out']);

    const alone = compileGroup(makeGroup([{ id: 'file', def: fileSource, params: { path: '/media/a.mkv' } }]));
    expect([...alone.outputFds.keys()]).toEqual(['file.video', 'file.audio']);

    const group = makeGroup([{ id: 'file', def: fileSource, params: { path: '/media/a.mkv' } }]);
    const flagged = { ...group, outputs: group.outputs.map((o) => ({ ...o, connected: o.port === 'video' })) };
    expect([...compileGroup(flagged).outputFds.keys()]).toEqual(['file.video']);
  });

  it('explains a group as the gst-launch-1.0 line it runs', () => {
    expect(explainGroup(camToFile())).toMatch(/^gst-launch-1\.0 -e videotestsrc name=cam__videotestsrc/);
  });
});
