// What every SFU transport shares: one werift peer, its ICE candidates handed out, and a close
// that runs once, whoever asks (DELETE, ICE failure, the router), freeing children first.
import { randomUUID } from 'node:crypto';
import type { RTCPeerConnection } from 'werift';
import type { IceOptions } from '../ice.js';
import type { IceCandidateInit } from '../signal.js';
import { SfuError } from './errors.js';
import { addCandidate, candidateInit, createPeer } from './peer.js';

export abstract class PeerTransport {
  readonly id = randomUUID();
  protected readonly pc: RTCPeerConnection;
  private closedFlag = false;
  private readonly closeListeners = new Set<() => void>();
  private readonly candidateListeners = new Set<(c: IceCandidateInit) => void>();

  /** `label` names the transport in errors: "publish transport", "subscribe transport". */
  constructor(
    ice: IceOptions,
    private readonly label: string,
  ) {
    this.pc = createPeer(ice);
    this.pc.onIceCandidate.subscribe((c) => c && this.candidateListeners.forEach((l) => l(candidateInit(c))));
    this.pc.connectionStateChange.subscribe((state) => {
      this.connectionChanged(state);
      if (state === 'failed' || state === 'closed') void this.close();
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Called once when the transport closes, whoever closed it. */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  onIceCandidate(listener: (c: IceCandidateInit) => void): () => void {
    this.candidateListeners.add(listener);
    return () => this.candidateListeners.delete(listener);
  }

  addIceCandidate(candidate: IceCandidateInit): Promise<void> {
    return addCandidate(this.pc, candidate);
  }

  async close(): Promise<void> {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.candidateListeners.clear();
    this.release();
    this.closeListeners.forEach((l) => l());
    this.closeListeners.clear();
    await this.pc.close().catch(() => undefined);
  }

  /** Reacts to the peer's connection state before a failed or closed peer closes the transport. */
  protected connectionChanged(_state: string): void {}

  /** Frees what the transport holds (publishers, consumers, listeners); runs once, on close. */
  protected abstract release(): void;

  protected assertOpen(): void {
    if (this.closedFlag) throw new SfuError('closed', `${this.label} ${this.id} is closed`);
  }
}
