/* A scripted POP3 server in a thread (see fakepop3.h). */
#include <config.h>

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "fakepop3.h"

struct FakeServer {
    char *greeting;
    gsize greeting_len;
    gboolean ipv6;
    GPtrArray *rules;
    char *cert, *key;
    gboolean implicit_tls;
    int lfd;
    GThread *thread;
    GString *capture;
    SSL_CTX *ctx;
    SSL *ssl;
    int fd;
};

FakeServer *
fake_new(const char *greeting, gsize greeting_len, gboolean ipv6)
{
    FakeServer *fs = g_new0(FakeServer, 1);
    if (greeting) {
        fs->greeting = g_memdup2(greeting, greeting_len);
        fs->greeting_len = greeting_len;
    }
    fs->ipv6 = ipv6;
    fs->rules = g_ptr_array_new();
    fs->capture = g_string_new(NULL);
    fs->lfd = fs->fd = -1;
    return fs;
}

void
fake_rule_len(FakeServer *fs, const char *prefix, const char *reply, gsize len,
              guint action, gboolean once)
{
    FakeRule *r = g_new0(FakeRule, 1);
    r->prefix = prefix;
    r->reply = g_memdup2(reply ? reply : "", len);
    r->len = len;
    r->action = action;
    r->once = once;
    g_ptr_array_add(fs->rules, r);
}

void
fake_rule(FakeServer *fs, const char *prefix, const char *reply, guint action)
{
    fake_rule_len(fs, prefix, reply, reply ? strlen(reply) : 0, action, FALSE);
}

void
fake_set_tls(FakeServer *fs, const char *cert, const char *key,
             gboolean implicit)
{
    fs->cert = g_strdup(cert);
    fs->key = g_strdup(key);
    fs->implicit_tls = implicit;
}

static gboolean
io_send(FakeServer *fs, const char *data, gsize len)
{
    while (len > 0) {
        ssize_t r;
        if (fs->ssl) {
            int n = SSL_write(fs->ssl, data, (int) MIN(len, 1 << 20));
            r = n > 0 ? n : -1;
        } else {
            r = send(fs->fd, data, len, MSG_NOSIGNAL);
            if (r < 0 && errno == EINTR)
                continue;
        }
        if (r <= 0)
            return FALSE;
        data += r;
        len -= (gsize) r;
    }
    return TRUE;
}

/* Read one line (without CRLF) into LINE; FALSE at EOF. */
static gboolean
io_line(FakeServer *fs, GString *line)
{
    g_string_truncate(line, 0);
    for (;;) {
        char c;
        ssize_t r;
        if (fs->ssl) {
            int n = SSL_read(fs->ssl, &c, 1);
            r = n > 0 ? 1 : 0;
        } else {
            r = recv(fs->fd, &c, 1, 0);
            if (r < 0 && errno == EINTR)
                continue;
        }
        if (r <= 0)
            return FALSE;
        g_string_append_c(fs->capture, c);
        if (c == '\n') {
            if (line->len && line->str[line->len - 1] == '\r')
                g_string_truncate(line, line->len - 1);
            return TRUE;
        }
        g_string_append_c(line, c);
    }
}

static gboolean
start_tls(FakeServer *fs)
{
    fs->ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_num_tickets(fs->ctx, 0);
    if (SSL_CTX_use_certificate_chain_file(fs->ctx, fs->cert) != 1
        || SSL_CTX_use_PrivateKey_file(fs->ctx, fs->key, SSL_FILETYPE_PEM) != 1)
        return FALSE;
    fs->ssl = SSL_new(fs->ctx);
    SSL_set_fd(fs->ssl, fs->fd);
    if (SSL_accept(fs->ssl) != 1) {
        g_string_append(fs->capture, "<TLS failed>\n");
        return FALSE;
    }
    const char *sni = SSL_get_servername(fs->ssl, TLSEXT_NAMETYPE_host_name);
    g_string_append_printf(fs->capture, "<TLS sni=%s>\n", sni ? sni : "");
    return TRUE;
}

static gpointer
serve(gpointer data)
{
    FakeServer *fs = data;
    g_autoptr(GString) line = g_string_new(NULL);
    fs->fd = accept(fs->lfd, NULL, NULL);
    if (fs->fd < 0)
        return NULL;
    if (fs->implicit_tls && !start_tls(fs))
        goto out;
    if (!fs->greeting) {
        /* silent: wait until the client goes away */
        char c;
        while (recv(fs->fd, &c, 1, 0) > 0)
            ;
        goto out;
    }
    if (!io_send(fs, fs->greeting, fs->greeting_len))
        goto out;
    while (io_line(fs, line)) {
        FakeRule *hit = NULL;
        for (guint i = 0; i < fs->rules->len; i++) {
            FakeRule *r = g_ptr_array_index(fs->rules, i);
            if (r->once && r->used)
                continue;
            if (g_ascii_strncasecmp(line->str, r->prefix, strlen(r->prefix)) == 0) {
                hit = r;
                break;
            }
        }
        if (!hit) {
            if (!io_send(fs, "-ERR unknown\r\n", 14))
                break;
            continue;
        }
        hit->used = TRUE;
        if (hit->action & FAKE_SILENT) {
            char c;
            while (recv(fs->fd, &c, 1, 0) > 0)
                ;
            break;
        }
        if (!io_send(fs, hit->reply, hit->len))
            break;
        if (hit->action & FAKE_CLOSE)
            break;
        if ((hit->action & FAKE_STLS) && !start_tls(fs))
            break;
    }
out:
    if (fs->ssl) {
        SSL_shutdown(fs->ssl);
        SSL_free(fs->ssl);
        fs->ssl = NULL;
    }
    if (fs->ctx)
        SSL_CTX_free(fs->ctx);
    fs->ctx = NULL;
    close(fs->fd);
    fs->fd = -1;
    return NULL;
}

guint16
fake_start(FakeServer *fs)
{
    fs->lfd = socket(fs->ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(fs->lfd, >=, 0);
    struct sockaddr_storage ss = { 0 };
    socklen_t sl;
    if (fs->ipv6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *) &ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        sl = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *) &ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        sl = sizeof *a;
    }
    if (bind(fs->lfd, (struct sockaddr *) &ss, sl) < 0 || listen(fs->lfd, 4) < 0) {
        close(fs->lfd);
        fs->lfd = -1;
        return 0;
    }
    g_assert_cmpint(getsockname(fs->lfd, (struct sockaddr *) &ss, &sl), ==, 0);
    guint16 port = fs->ipv6 ? ntohs(((struct sockaddr_in6 *) &ss)->sin6_port)
                            : ntohs(((struct sockaddr_in *) &ss)->sin_port);
    fs->thread = g_thread_new("fakepop3", serve, fs);
    return port;
}

char *
fake_finish(FakeServer *fs)
{
    if (fs->thread)
        g_thread_join(fs->thread);
    if (fs->lfd >= 0)
        close(fs->lfd);
    for (guint i = 0; i < fs->rules->len; i++) {
        FakeRule *r = g_ptr_array_index(fs->rules, i);
        g_free(r->reply);
        g_free(r);
    }
    g_ptr_array_free(fs->rules, TRUE);
    g_free(fs->greeting);
    g_free(fs->cert);
    g_free(fs->key);
    char *cap = g_string_free(fs->capture, FALSE);
    g_free(fs);
    return cap;
}
