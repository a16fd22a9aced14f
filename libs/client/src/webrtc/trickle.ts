// Trickle ICE for WHIP/WHEP clients (RFC 9725 §4.3): local candidates go to the session URL by PATCH as
// application/trickle-ice-sdpfrag, batched while a PATCH is in flight, ending with a=end-of-candidates.
import type { IceCandidateInit, PeerConnectionLike } from './dom.js';

export const SDPFRAG_TYPE = 'application/trickle-ice-sdpfrag';

/** What the trickler needs of the session: where, with which credentials, and how to send. */
export interface TrickleTarget {
  readonly location: string;
  /** The session's ETag from the POST answer, sent as If-Match so a PATCH never lands on another ICE session. */
  readonly etag: string | null;
  readonly headers: Record<string, string>;
  readonly fetch: typeof fetch;
}

export type TrickleState = 'gathering' | 'done' | 'unsupported' | 'failed';

/**
 * Collects the peer's candidates from before the POST on, and once `start` names the session sends them:
 * all collected so far in one PATCH, then whatever arrived meanwhile in the next. A 405 or 501 means the
 * server takes no trickle: the client stops sending (the server still learns the client's address from its
 * connectivity checks, as a peer-reflexive candidate).
 */
export class CandidateTrickler {
  private readonly queued: IceCandidateInit[] = [];
  private ended = false;
  private endSent = false;
  private target: TrickleTarget | undefined;
  private sending: Promise<void> | undefined;
  private stateValue: TrickleState = 'gathering';
  /** Candidates the server accepted (204). */
  sent = 0;

  constructor(private readonly pc: PeerConnectionLike) {
    pc.addEventListener('icecandidate', (event) => {
      const c = event.candidate;
      if (!c?.candidate) {
        this.ended = true;
      } else {
        const init = c.toJSON ? c.toJSON() : c;
        this.queued.push({ candidate: init.candidate, sdpMid: init.sdpMid ?? null, sdpMLineIndex: init.sdpMLineIndex ?? null });
      }
      this.flush();
    });
  }

  get state(): TrickleState {
    return this.stateValue;
  }

  /** Starts sending to the session; `accepted` is false when the POST answer did not offer trickle (no Accept-Patch). */
  start(target: TrickleTarget, accepted: boolean): void {
    if (!accepted) {
      this.stateValue = 'unsupported';
      return;
    }
    this.target = target;
    this.flush();
  }

  stop(): void {
    this.target = undefined;
    this.queued.length = 0;
  }

  private flush(): void {
    if (!this.target || this.sending || this.stateValue !== 'gathering') return;
    if (this.queued.length === 0 && (!this.ended || this.endSent)) return;
    const batch = this.queued.splice(0);
    const end = this.ended;
    this.sending = this.patch(this.target, batch, end)
      .then((status) => {
        if (status === 204 || status === 200) {
          this.sent += batch.length;
          if (end) {
            this.endSent = true;
            this.stateValue = 'done';
          }
        } else if (status === 405 || status === 501) this.stateValue = 'unsupported';
        else this.stateValue = 'failed';
      })
      .catch(() => {
        this.stateValue = 'failed';
      })
      .finally(() => {
        this.sending = undefined;
        this.flush();
      });
  }

  private async patch(target: TrickleTarget, candidates: readonly IceCandidateInit[], end: boolean): Promise<number> {
    const res = await target.fetch(target.location, {
      method: 'PATCH',
      headers: { 'Content-Type': SDPFRAG_TYPE, ...(target.etag ? { 'If-Match': target.etag } : {}), ...target.headers },
      body: sdpFragment(this.pc.localDescription?.sdp ?? '', candidates, end),
    });
    await res.text().catch(() => '');
    return res.status;
  }
}

/** RFC 8840 fragment: the ICE credentials, then per m-line of the offer (by mid) its candidates; end-of-candidates last. */
export function sdpFragment(localSdp: string, candidates: readonly IceCandidateInit[], end: boolean): string {
  const lines: string[] = [];
  const ufrag = /^a=ice-ufrag:(\S+)/m.exec(localSdp)?.[1];
  const pwd = /^a=ice-pwd:(\S+)/m.exec(localSdp)?.[1];
  if (ufrag && pwd) lines.push(`a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`);
  const sections = localSdp.split(/\r?\n(?=m=)/).slice(1);
  const byMid = new Map<string, IceCandidateInit[]>();
  for (const c of candidates) {
    const mid = c.sdpMid ?? /^a=mid:(\S+)/m.exec(sections[c.sdpMLineIndex ?? 0] ?? '')?.[1] ?? '0';
    byMid.set(mid, [...(byMid.get(mid) ?? []), c]);
  }
  // With BUNDLE every candidate belongs to the first m-line; end-of-candidates goes there too.
  const firstMid = /^a=mid:(\S+)/m.exec(sections[0] ?? '')?.[1] ?? '0';
  if (end && !byMid.has(firstMid)) byMid.set(firstMid, []);
  for (const [mid, list] of byMid) {
    const section = sections.find((s) => new RegExp(`^a=mid:${mid.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm').test(s)) ?? sections[0] ?? 'm=video 9 UDP/TLS/RTP/SAVPF 0';
    lines.push(section.split(/\r?\n/)[0] ?? '', `a=mid:${mid}`);
    for (const c of list) lines.push(`a=${c.candidate.replace(/^a=/, '')}`);
    if (end && mid === firstMid) lines.push('a=end-of-candidates');
  }
  return `${lines.join('\r\n')}\r\n`;
}
