# src/pop3: The POP3 protocol only (RFC 1939, 2449, 2595, 5034).
