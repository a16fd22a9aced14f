// Small reads of remote SDP that werift does not expose: which track id (msid) each m-line carries.

/** mid → the track id of its `a=msid:<stream> <track>` line. */
export function trackIdsByMid(sdp: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const mid = /^a=mid:(\S+)/m.exec(section)?.[1];
    const track = /^a=msid:\S+ (\S+)/m.exec(section)?.[1];
    if (mid && track) out.set(mid, track);
  }
  return out;
}
