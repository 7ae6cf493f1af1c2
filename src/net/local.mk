# src/net: One connection: TCP with timeouts, the OpenSSL TLS policy, buffered lines.
