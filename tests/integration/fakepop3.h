/* A scripted POP3 server in a thread, for the protocol tests that need a
 * server misbehaving on purpose (garbage, huge lines, drops, odd UIDs). */
#ifndef TEST_FAKEPOP3_H
#define TEST_FAKEPOP3_H

#include <glib.h>

typedef enum {
    FAKE_REPLY = 0,      /* send the reply, go on */
    FAKE_CLOSE = 1 << 0, /* send the reply, then close the connection */
    FAKE_STLS = 1 << 1,  /* send the reply, then a TLS handshake */
    FAKE_SILENT = 1 << 2,/* send nothing, wait for the client to give up */
} FakeAction;

typedef struct {
    const char *prefix;  /* command prefix, case-insensitive ("" any) */
    char *reply;         /* raw bytes (owned) */
    gsize len;
    guint action;
    gboolean once;       /* drop the rule after its first use */
    gboolean used;
} FakeRule;

typedef struct FakeServer FakeServer;

/* A server on 127.0.0.1 (or ::1 when IPV6) for one connection.  GREETING
 * is sent raw (include "\r\n"); NULL sends nothing (a silent server).
 * Rules are tried in order.  An unmatched command gets "-ERR unknown". */
FakeServer *fake_new(const char *greeting, gsize greeting_len, gboolean ipv6);
void fake_rule(FakeServer *fs, const char *prefix, const char *reply,
               guint action);
void fake_rule_len(FakeServer *fs, const char *prefix, const char *reply,
                   gsize len, guint action, gboolean once);
/* TLS for FAKE_STLS or for TLS from the start. */
void fake_set_tls(FakeServer *fs, const char *cert, const char *key,
                  gboolean implicit);
/* Start listening and serving; returns the port (0 if ::1 is missing). */
guint16 fake_start(FakeServer *fs);
/* Wait for the connection to end; returns everything the client sent
 * (g_free).  Frees FS. */
char *fake_finish(FakeServer *fs);

#endif
