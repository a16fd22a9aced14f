// Which encoder element to use: software, or a hardware one gst-inspect found when the user picks `auto`.
import { knownToExist } from '../gst/inspect.js';

export const ENCODER_CHOICES = ['auto', 'software', 'va', 'vaapi', 'nvcodec', 'v4l2'] as const;
export type EncoderChoice = (typeof ENCODER_CHOICES)[number];

const H264: Readonly<Record<Exclude<EncoderChoice, 'auto' | 'software'>, string>> = {
  va: 'vah264enc', vaapi: 'vaapih264enc', nvcodec: 'nvh264enc', v4l2: 'v4l2h264enc',
};
const VP8: Readonly<Partial<Record<Exclude<EncoderChoice, 'auto' | 'software'>, string>>> = {
  va: 'vavp8enc', vaapi: 'vaapivp8enc', v4l2: 'v4l2vp8enc',
};

/** Every hardware element we may pick; checked once at start so choices stay synchronous. */
export const HARDWARE_ENCODERS: readonly string[] = [...Object.values(H264), ...Object.values(VP8)];

function pick(table: Readonly<Partial<Record<string, string>>>, choice: EncoderChoice, software: string): string {
  if (choice === 'software') return software;
  if (choice !== 'auto') return table[choice] ?? software;
  for (const element of Object.values(table)) if (element && knownToExist(element)) return element;
  return software;
}

export const pickH264Encoder = (choice: EncoderChoice): string => pick(H264, choice, 'x264enc');
export const pickVp8Encoder = (choice: EncoderChoice): string => pick(VP8, choice, 'vp8enc');
