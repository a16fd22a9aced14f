#!/usr/bin/python3
# Runs one GStreamer pipeline for Rivulet, like `gst-launch-1.0 -e`, with a control channel.
#
# gst-launch cannot be asked anything once it runs: no property reads (SRT statistics), no
# element signals (an SRT caller connecting), no upstream events (a key-frame request for the
# encoder). This launcher parses the same description, runs the same bus loop, and talks JSON
# lines with its parent:
#
#   stdin, first line : {"argv": [...]}            the description, kept off the command line
#                                                    (it may hold a passphrase)
#   stdin, then       : {"id": 1, "op": "get", "element": "n", "property": "stats"}
#                       {"id": 2, "op": "set", "element": "n", "property": "p", "value": "v"}
#                       {"id": 3, "op": "keyframe", "element": "n"}
#                       {"op": "stop"}              EOS, like SIGINT; EOF on stdin does the same
#   stdout            : {"event": "playing"} | {"event": "clock", "baseTime"}  (monotonic ns)
#                       {"event": "message", "level", "element", "text", "debug"}
#                       {"event": "signal", "element", "signal", "args"} | {"event": "reply", "id", "value"|"error"}
#
# GStreamer's own stdout (an fdsink on fd 1) is moved to stderr so it cannot corrupt the events.
import json
import os
import signal
import threading

import gi

gi.require_version('Gst', '1.0')
gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib, GObject, Gst  # noqa: E402

# Element signals worth reporting; "caller-connecting" is left alone: its handler's return
# value decides whether a caller is accepted.
REPORTED_SIGNALS = ('caller-added', 'caller-removed', 'caller-rejected')

events = os.fdopen(os.dup(1), 'w', buffering=1)
os.dup2(2, 1)
write_lock = threading.Lock()


def emit(event):
    line = json.dumps(event, default=str)
    with write_lock:
        try:
            events.write(line + '\n')
        except (BrokenPipeError, OSError):
            pass


def to_json(value):
    """A GValue (structures, arrays, socket addresses) as plain JSON values."""
    if isinstance(value, Gst.Structure):
        out = {'name': value.get_name()}
        for i in range(value.n_fields()):
            field = value.nth_field_name(i)
            out[field] = to_json(value.get_value(field))
        return out
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, Gio.InetSocketAddress):
        return '%s:%d' % (value.get_address().to_string(), value.get_port())
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, GLib.Enum) or isinstance(value, GLib.Flags):
        return int(value)
    return str(value)


def element_path(obj):
    return obj.get_path_string() if isinstance(obj, Gst.Object) else None


class Launcher:
    def __init__(self, argv):
        self.loop = GLib.MainLoop()
        self.exit_code = 0
        self.stopping = False
        self.live = False
        self.buffering = False
        self.target = Gst.State.PAUSED
        self.pipeline = None
        self.pending = b''
        try:
            parsed = Gst.parse_launchv(argv)
        except GLib.Error as error:
            emit({'event': 'message', 'level': 'error', 'text': 'erroneous pipeline: ' + error.message})
            return
        if isinstance(parsed, Gst.Pipeline):
            self.pipeline = parsed
        else:
            self.pipeline = Gst.Pipeline.new(None)
            self.pipeline.add(parsed)
        self.connect_signals()
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect('message', self.on_message)

    def connect_signals(self):
        it = self.pipeline.iterate_recurse()
        while True:
            result, element = it.next()
            if result == Gst.IteratorResult.RESYNC:
                it.resync()
                continue
            if result != Gst.IteratorResult.OK:
                break
            for name in REPORTED_SIGNALS:
                if GObject.signal_lookup(name, element.__gtype__):
                    element.connect(name, self.on_element_signal, name)

    def on_element_signal(self, element, *rest):
        name = rest[-1]
        # Emitted on a streaming thread: the event is written whole under the lock.
        emit({'event': 'signal', 'element': element_path(element), 'signal': name, 'args': [to_json(a) for a in rest[:-1]]})
        return None

    def start(self):
        result = self.pipeline.set_state(Gst.State.PAUSED)
        if result == Gst.StateChangeReturn.FAILURE:
            # The error message on the bus says why; give it a moment to arrive, then fail.
            GLib.timeout_add(2000, self.quit, 1)
            self.exit_code = 1
            return
        if result == Gst.StateChangeReturn.NO_PREROLL:
            self.live = True
            self.play()
        elif result == Gst.StateChangeReturn.SUCCESS:
            self.play()
        # ASYNC: ASYNC_DONE on the bus (prerolled) sets PLAYING.

    def play(self):
        if self.target == Gst.State.PLAYING or self.stopping:
            return
        self.target = Gst.State.PLAYING
        emit({'event': 'playing'})
        if self.pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
            self.exit_code = 1

    def report_clock(self):
        """The base time, when the pipeline runs on the monotonic system clock the parent shares."""
        clock = self.pipeline.get_clock()
        if isinstance(clock, Gst.SystemClock) and clock.props.clock_type == Gst.ClockType.MONOTONIC:
            emit({'event': 'clock', 'baseTime': self.pipeline.get_base_time()})

    def on_message(self, bus, message):
        t = message.type
        if t == Gst.MessageType.ERROR:
            error, debug = message.parse_error()
            emit({'event': 'message', 'level': 'error', 'element': element_path(message.src), 'text': error.message, 'debug': debug})
            self.quit(1)
        elif t == Gst.MessageType.WARNING:
            warning, debug = message.parse_warning()
            emit({'event': 'message', 'level': 'warning', 'element': element_path(message.src), 'text': warning.message, 'debug': debug})
        elif t == Gst.MessageType.EOS:
            self.quit(self.exit_code)
        elif t == Gst.MessageType.STATE_CHANGED:
            if message.src == self.pipeline and message.parse_state_changed()[1] == Gst.State.PLAYING:
                self.report_clock()
        elif t == Gst.MessageType.ASYNC_DONE:
            if self.target != Gst.State.PLAYING and not self.buffering:
                self.play()
        elif t == Gst.MessageType.BUFFERING:
            # Like gst-launch: a non-live pipeline pauses while its buffer refills.
            if self.live:
                return
            percent = message.parse_buffering()
            if percent < 100 and not self.buffering:
                self.buffering = True
                if self.target == Gst.State.PLAYING:
                    self.pipeline.set_state(Gst.State.PAUSED)
            elif percent >= 100 and self.buffering:
                self.buffering = False
                if self.target == Gst.State.PLAYING:
                    self.pipeline.set_state(Gst.State.PLAYING)
                else:
                    self.play()
        elif t == Gst.MessageType.LATENCY:
            self.pipeline.recalculate_latency()
        elif t == Gst.MessageType.CLOCK_LOST:
            self.pipeline.set_state(Gst.State.PAUSED)
            self.pipeline.set_state(Gst.State.PLAYING)
        elif t == Gst.MessageType.REQUEST_STATE:
            self.pipeline.set_state(message.parse_request_state())

    def stop(self):
        """EOS through the pipeline (files get finished), as gst-launch -e does on Ctrl-C."""
        if self.stopping:
            return
        self.stopping = True
        if self.target != Gst.State.PLAYING:
            self.quit(0)
            return
        self.pipeline.send_event(Gst.Event.new_eos())

    def quit(self, code):
        self.exit_code = code
        self.loop.quit()
        return False

    def find(self, name):
        element = self.pipeline.get_by_name(name)
        if element is None:
            raise LookupError('no element named %s' % name)
        return element

    def command(self, request):
        op = request.get('op')
        if op == 'stop':
            self.stop()
            return
        reply = {'event': 'reply', 'id': request.get('id')}
        try:
            element = self.find(request.get('element', ''))
            if op == 'get':
                reply['value'] = to_json(element.get_property(request['property']))
            elif op == 'set':
                Gst.util_set_object_arg(element, request['property'], str(request['value']))
                reply['value'] = True
            elif op == 'keyframe':
                # A force-key-unit event travels upstream from the named element to the encoder.
                event = Gst.Event.new_custom(
                    Gst.EventType.CUSTOM_UPSTREAM,
                    Gst.Structure.new_from_string('GstForceKeyUnit, all-headers=(boolean)true'),
                )
                # Sent into the element's source pad, an encoder handles it itself; from a sink
                # element, it is pushed upstream to whatever feeds it.
                handled = False
                for pad in element.srcpads:
                    handled = pad.send_event(event.copy()) or handled
                if not element.srcpads:
                    for pad in element.sinkpads:
                        handled = pad.push_event(event.copy()) or handled
                reply['value'] = handled
            else:
                raise ValueError('unknown op %r' % op)
        except Exception as error:  # reported to the parent, the pipeline keeps running
            reply['error'] = str(error)
        emit(reply)

    def on_stdin(self, fd, condition):
        try:
            data = os.read(fd, 65536) if condition & GLib.IOCondition.IN else b''
        except OSError:
            data = b''
        if not data:
            # The parent closed our stdin (it stopped or died): end like a stop.
            self.stop()
            return False
        lines = (self.pending + data).split(b'\n')
        self.pending = lines.pop()
        for line in lines:
            if not line.strip():
                continue
            try:
                self.command(json.loads(line))
            except ValueError as error:
                emit({'event': 'reply', 'id': None, 'error': 'bad command: %s' % error})
        return True

    def run(self):
        if self.pipeline is None:
            return 1
        GLib.unix_fd_add_full(GLib.PRIORITY_DEFAULT, 0, GLib.IOCondition.IN | GLib.IOCondition.HUP | GLib.IOCondition.ERR, self.on_stdin)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, lambda: (self.stop(), True)[1])
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, lambda: (self.stop(), True)[1])
        self.start()
        self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)
        return self.exit_code


def main():
    Gst.init(None)
    # Byte by byte up to the first newline, so later commands stay unread for the main loop.
    first = b''
    while not first.endswith(b'\n'):
        byte = os.read(0, 1)
        if not byte:
            return 2
        first += byte
    try:
        argv = json.loads(first)['argv']
    except (ValueError, KeyError, TypeError) as error:
        emit({'event': 'message', 'level': 'error', 'text': 'bad launch request: %s' % error})
        return 2
    return Launcher([str(a) for a in argv]).run()


if __name__ == '__main__':
    code = main()
    events.flush()
    # Skip interpreter teardown: GStreamer's threads may still hold Python objects.
    os._exit(code)
