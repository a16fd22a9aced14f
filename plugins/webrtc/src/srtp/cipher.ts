// What the SFU's fast path needs from an SRTP protection profile (srtp/gcm.ts, srtp/cm.ts).
export interface SrtpCipher {
  /** Bytes of authentication tag at the end of each SRTP packet. */
  readonly tagLength: number;
  /**
   * Encrypts `payload` behind the `headerLength` header bytes already at the start of `out` and writes the ciphertext
   * and tag after them; `out` is `headerLength + payload.length + tagLength` bytes long.
   */
  protectInto(out: Buffer, headerLength: number, payload: Buffer, ssrc: number, sequenceNumber: number, rolloverCounter: number): void;
  /**
   * Authenticates and decrypts an SRTP packet whose RTP header is `headerLength` bytes. Returns the RTP packet (a new
   * buffer), or undefined when it does not authenticate. `packet` is not changed.
   */
  unprotect(packet: Buffer, headerLength: number, ssrc: number, sequenceNumber: number, rolloverCounter: number): Buffer | undefined;
}
