// Capability check: which GStreamer elements exist here (gst-inspect-1.0, once per element).
import { execFile } from 'node:child_process';
import type { Availability } from '@rivulet/core';

/** The Debian package that ships each element we use (for "install X" hints). */
export const ELEMENT_PACKAGES: Readonly<Record<string, string>> = {
  fdsrc: 'libgstreamer1.0-0', fdsink: 'libgstreamer1.0-0', queue: 'libgstreamer1.0-0', tee: 'libgstreamer1.0-0',
  identity: 'libgstreamer1.0-0', fakesink: 'libgstreamer1.0-0', filesrc: 'libgstreamer1.0-0', filesink: 'libgstreamer1.0-0',
  capsfilter: 'libgstreamer1.0-0',
  videotestsrc: 'gstreamer1.0-plugins-base', audiotestsrc: 'gstreamer1.0-plugins-base', videoconvert: 'gstreamer1.0-plugins-base',
  videoscale: 'gstreamer1.0-plugins-base', videorate: 'gstreamer1.0-plugins-base', audioconvert: 'gstreamer1.0-plugins-base',
  audioresample: 'gstreamer1.0-plugins-base', opusenc: 'gstreamer1.0-plugins-base', opusdec: 'gstreamer1.0-plugins-base',
  decodebin: 'gstreamer1.0-plugins-base', uridecodebin: 'gstreamer1.0-plugins-base',
  vp8enc: 'gstreamer1.0-plugins-good', vp8dec: 'gstreamer1.0-plugins-good', mp4mux: 'gstreamer1.0-plugins-good',
  webmmux: 'gstreamer1.0-plugins-good', matroskamux: 'gstreamer1.0-plugins-good', v4l2src: 'gstreamer1.0-plugins-good',
  rtspsrc: 'gstreamer1.0-plugins-good', udpsink: 'gstreamer1.0-plugins-good', udpsrc: 'gstreamer1.0-plugins-good',
  rtpjitterbuffer: 'gstreamer1.0-plugins-good', rtpvp8pay: 'gstreamer1.0-plugins-good', rtpvp8depay: 'gstreamer1.0-plugins-good',
  rtph264pay: 'gstreamer1.0-plugins-good', rtph264depay: 'gstreamer1.0-plugins-good', rtpopuspay: 'gstreamer1.0-plugins-good',
  rtpopusdepay: 'gstreamer1.0-plugins-good', v4l2h264enc: 'gstreamer1.0-plugins-good',
  gdppay: 'gstreamer1.0-plugins-bad', gdpdepay: 'gstreamer1.0-plugins-bad', h264parse: 'gstreamer1.0-plugins-bad',
  opusparse: 'gstreamer1.0-plugins-bad', nvh264enc: 'gstreamer1.0-plugins-bad', vah264enc: 'gstreamer1.0-plugins-bad',
  x264enc: 'gstreamer1.0-plugins-ugly', avdec_h264: 'gstreamer1.0-libav', vaapih264enc: 'gstreamer1.0-vaapi',
};

const cache = new Map<string, Promise<boolean>>();

/** Whether `gst-inspect-1.0 --exists <element>` succeeds; false when GStreamer itself is missing. */
export function elementExists(element: string): Promise<boolean> {
  let found = cache.get(element);
  if (!found) {
    found = new Promise<boolean>((resolve) => {
      execFile('gst-inspect-1.0', ['--exists', element], { timeout: 10_000 }, (error) => resolve(!error));
    });
    cache.set(element, found);
  }
  return found;
}

/** Available when every element exists; otherwise names the missing ones and their packages. */
export async function elementsAvailable(elements: readonly string[]): Promise<Availability> {
  const checks = await Promise.all(elements.map(async (e) => [e, await elementExists(e)] as const));
  const missing = checks.filter(([, ok]) => !ok).map(([e]) => e);
  if (!missing.length) return { available: true };
  const hints = missing.map((e) => `${e} (Debian package ${ELEMENT_PACKAGES[e] ?? 'unknown'})`);
  return { available: false, reason: `missing GStreamer element${missing.length > 1 ? 's' : ''}: ${hints.join(', ')}` };
}

/** The first element of `candidates` installed here, or undefined. */
export async function firstAvailable(candidates: readonly string[]): Promise<string | undefined> {
  for (const candidate of candidates) if (await elementExists(candidate)) return candidate;
  return undefined;
}

const known = new Map<string, boolean>();

/** What a previous check found, synchronously (undefined when never checked); pure builders use it. */
export function knownToExist(element: string): boolean | undefined {
  return known.get(element);
}

/** Checks elements now so that knownToExist answers for them. */
export async function warmUp(elements: readonly string[]): Promise<void> {
  await Promise.all(elements.map(async (e) => known.set(e, await elementExists(e))));
}
