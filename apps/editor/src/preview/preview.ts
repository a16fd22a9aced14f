// The hook point for live preview of video edges: a WHEP (WebRTC egress) URL per edge, played in a <video>.
// The runner has no preview route yet; it arrives with the WebRTC plugin, and until then the editor says so.

export type PreviewSupport = { readonly available: true } | { readonly available: false; readonly reason: string };

/**
 * Whether the runner can stream an edge to the browser. It will be true once the runner
 * offers a WHEP endpoint per edge (e.g. `POST /api/preview/<graph>/<from>->` answering an
 * SDP offer); the panel then plays it with an RTCPeerConnection and shows framesDecoded.
 */
export function previewSupport(): PreviewSupport {
  return {
    available: false,
    reason: 'Watching a video edge in the browser needs the WebRTC plugin (its WHEP egress), which is not installed in this runner yet.',
  };
}
