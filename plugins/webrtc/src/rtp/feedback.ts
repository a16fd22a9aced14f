// Key-frame requests (RTCP PLI/FIR) aimed at a transceiver's sender, wherever werift delivers them.
//
// werift 0.25 routes payload-specific feedback by the *sender* SSRC first; on a sendrecv m-line the
// remote's feedback SSRC is its own media SSRC, which werift has mapped to our receiver, so the PLI
// lands on the receiver's onRtcp instead of the sender's onPictureLossIndication. We listen to both.
import { PictureLossIndication, RtcpPayloadSpecificFeedback, type RTCRtpTransceiver } from 'werift';

export function onKeyframeRequest(t: RTCRtpTransceiver, listener: () => void): () => void {
  const direct = t.sender.onPictureLossIndication.subscribe(listener);
  const misrouted = t.receiver.onRtcp.subscribe((packet) => {
    if (packet.type !== RtcpPayloadSpecificFeedback.type) return;
    const feedback = (packet as RtcpPayloadSpecificFeedback).feedback;
    if (feedback instanceof PictureLossIndication && feedback.mediaSsrc === t.sender.ssrc) listener();
  });
  return () => {
    direct.unSubscribe();
    misrouted.unSubscribe();
  };
}
