#!/usr/bin/python3
"""Sends requests as concurrent streams of one HTTP/2 connection (h2c,
prior knowledge) and prints each one's status, in the order given.

    h2_streams.py PORT < REQUESTS

REQUESTS is JSON: a list of [PATH, {HEADER: VALUE, ...}], all GET to
127.0.0.1:PORT.  Every request is sent before any response is read, so
the server has them all in flight at once.  (curl cannot do this here:
it does not reuse an h2c connection of prior knowledge.)"""
import json
import socket
import sys

import h2.config
import h2.connection
import h2.events


def main(port, requests):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    conn = h2.connection.H2Connection(
        config=h2.config.H2Configuration(client_side=True,
                                         header_encoding="utf-8"))
    conn.initiate_connection()
    order, status, ended = [], {}, set()
    for path, headers in requests:
        sid = conn.get_next_available_stream_id()
        order.append(sid)
        conn.send_headers(sid, [(":method", "GET"), (":path", path),
                                (":scheme", "http"),
                                (":authority", "127.0.0.1:%d" % port)]
                          + [(k.lower(), v) for k, v in headers.items()],
                          end_stream=True)
    sock.sendall(conn.data_to_send())
    while len(ended) < len(order):
        data = sock.recv(65536)
        if not data:
            break
        for event in conn.receive_data(data):
            if isinstance(event, h2.events.ResponseReceived):
                status[event.stream_id] = dict(event.headers)[":status"]
            elif isinstance(event, h2.events.DataReceived):
                conn.acknowledge_received_data(event.flow_controlled_length,
                                               event.stream_id)
            elif isinstance(event, (h2.events.StreamEnded,
                                    h2.events.StreamReset)):
                ended.add(event.stream_id)
        sock.sendall(conn.data_to_send())
    conn.close_connection()
    sock.sendall(conn.data_to_send())
    sock.close()
    for sid in order:
        print(status.get(sid, "none"))


if __name__ == "__main__":
    main(int(sys.argv[1]), json.load(sys.stdin))
