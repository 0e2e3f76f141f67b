"""A client that does not read: what one socket may have waiting to be sent.

The app never waits for a slow reader: daphne hands each websocket message to
Twisted, which keeps what the kernel has not taken in the connection's buffer,
without a bound. A client that stops reading and sends "resume" frames grew a
process by 440 MB in 300 frames, and kept it (issue 17). So after each message
daphne is given for a socket, `manage.py serve` calls `bound`: past
WEBSOCKET_MAX_QUEUED_BYTES waiting, the socket is closed with 1008 and its
connection dropped at once, which frees what it held. A page that reads slowly
is far under the limit (a resume reply is at most a page of 50 messages); it
reconnects and resumes as after any drop.
"""

import logging

# "Policy violation": sent as the close frame; a client that reads nothing never
# sees it, the connection is dropped behind it.
CLOSE_NOT_READING = 1008

# Operators filter on this name.
logger = logging.getLogger("chat.backpressure")


# Codes an application may close with that autobahn's sendClose refuses (it
# takes 1000 and 3000-4999 only): 1009 for a frame over WEBSOCKET_MAX_BYTES.
STANDARD_CLOSE_CODES = {1008, 1009}


def close_with_standard_code(protocol, code):
    """Close daphne's websocket `protocol` with 1008 or 1009 as asked; True if
    it did (any other code is daphne's to send). Through daphne the refused
    code was an exception in the consumer: the socket ended in 1011 and the
    consumer's disconnect() never ran (issue 17, finding 10)."""
    if code not in STANDARD_CLOSE_CODES or protocol.state != protocol.STATE_OPEN:
        return False
    protocol.sendCloseFrame(code=code)
    return True


def queued_bytes(transport):
    """Bytes written to a Twisted TCP connection that the kernel has not taken yet."""
    pending = len(getattr(transport, "dataBuffer", b"")) - getattr(transport, "offset", 0)
    return pending + getattr(transport, "_tempDataLen", 0)


def bound(protocol, limit):
    """Close the websocket of `protocol` (daphne's) and drop its connection if
    more than `limit` bytes wait to be sent; True if it did."""
    transport = getattr(protocol, "transport", None)
    if transport is None or not limit:
        return False
    queued = queued_bytes(transport)
    if queued <= limit:
        return False
    logger.warning(
        "websocket %s closed with %d: %d bytes waiting, the client is not reading",
        getattr(protocol, "client_addr", None), CLOSE_NOT_READING, queued,
    )  # fmt: skip
    protocol.sendCloseFrame(code=CLOSE_NOT_READING, reasonUtf8=b"not reading")
    transport.abortConnection()
    # Nothing of it will be sent: let it go now, not when daphne forgets the connection.
    transport.dataBuffer, transport.offset = b"", 0
    transport._tempDataBuffer, transport._tempDataLen = [], 0
    return True
