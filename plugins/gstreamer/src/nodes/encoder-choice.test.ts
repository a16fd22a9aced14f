import { describe, expect, it } from 'vitest';
import { knownToExist, warmUp } from '../gst/inspect.js';
import { compileGroup } from '../gst/compile.js';
import { makeGroup } from '../test-support/group.js';
import { HARDWARE_ENCODERS, pickH264Encoder, pickVp8Encoder } from './encoder-choice.js';
import { x264Encoder } from './encoders.js';
import { testVideo } from './feeds.js';

describe('encoder choice', () => {
  it('uses x264/vp8enc for software, and for auto falls back to them when gst-inspect finds no hardware encoder', async () => {
    expect(pickH264Encoder('software')).toBe('x264enc');
    expect(pickVp8Encoder('software')).toBe('vp8enc');
    await warmUp(HARDWARE_ENCODERS);
    const h264Hardware = HARDWARE_ENCODERS.filter((e) => e.includes('h264') && knownToExist(e));
    expect(pickH264Encoder('auto')).toBe(h264Hardware[0] ?? 'x264enc');
  });

  it('names the element of the hardware family the user picks', () => {
    expect(pickH264Encoder('vaapi')).toBe('vaapih264enc');
    expect(pickH264Encoder('nvcodec')).toBe('nvh264enc');
    // nvcodec has no VP8 encoder: the software one is used instead.
    expect(pickVp8Encoder('nvcodec')).toBe('vp8enc');
  });

  it('refuses a hardware encoder the user names when gst-inspect did not find it, naming node, param and package', async () => {
    await warmUp(HARDWARE_ENCODERS);
    if (knownToExist('nvh264enc')) return; // a machine with NVENC: nothing to refuse
    const group = makeGroup(
      [
        { id: 'cam', def: testVideo },
        { id: 'enc', def: x264Encoder, params: { encoder: 'nvcodec' } },
      ],
      ['cam.out -> enc.in'],
    );
    expect(() => compileGroup(group)).toThrow('node enc, param encoder: GStreamer element nvh264enc is not installed (Debian package gstreamer1.0-plugins-bad)');
  });
});
