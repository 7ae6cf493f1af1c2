/* The OAuth 2 flows of "postie oauth":
 *  - device code (RFC 8628): show a code and an address, poll the token
 *    endpoint at the server's interval (slower after slow_down) until the
 *    user has approved, refused, or the code expired;
 *  - authorization code with PKCE (RFC 7636) and a loopback redirect
 *    (RFC 8252 7.3): listen on 127.0.0.1, send the user's browser to the
 *    authorize URL, take the code from the one request that carries our
 *    state, exchange it with the verifier;
 *  - refresh (RFC 6749 6), under the account's lock.
 */
#include <config.h>

#include <string.h>
#include <time.h>

#include <gio/gio.h>
#include <openssl/rand.h>

#include "oauth/oauth.h"
#include "util/util.h"

#define EXPIRY_MARGIN 60          /* seconds: refresh a token this close to its end */
#define BROWSER_WAIT 300          /* seconds the loopback listener waits */
#define REQUEST_MAX 8192

static char *
base64url(const guchar *data, gsize len)
{
    char *s = g_base64_encode(data, len);
    for (char *p = s; *p; p++)
        *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    char *eq = strchr(s, '=');
    if (eq)
        *eq = '\0';
    return s;
}

static char *
random_string(gsize bytes)
{
    guchar buf[64];
    g_assert(bytes <= sizeof buf);
    if (RAND_bytes(buf, (int)bytes) != 1)
        g_error("no random bytes from OpenSSL");
    return base64url(buf, bytes);
}

char *
oauth_pkce_challenge(const char *verifier)
{
    guint8 digest[32];
    gsize len = sizeof digest;
    g_autoptr(GChecksum) c = g_checksum_new(G_CHECKSUM_SHA256);
    g_checksum_update(c, (const guchar *)verifier, (gssize)strlen(verifier));
    g_checksum_get_digest(c, digest, &len);
    return base64url(digest, len);
}

/* POST FIELDS to the token endpoint and parse the reply. */
static gboolean
token_request(const OAuthSettings *s, const char *const *fields,
              OAuthTokenReply *r, GError **error)
{
    long status = 0;
    g_autoptr(GBytes) body = oauth_http_post(s->token_url, fields, s->timeout,
                                             &status, error);
    if (!body)
        return FALSE;
    gsize len = 0;
    const char *data = g_bytes_get_data(body, &len);
    return oauth_parse_token_reply(status, data ? data : "", len, r, error);
}

static gboolean
reply_error(const OAuthSettings *s, const OAuthTokenReply *r, GError **error)
{
    /* These mean the grant itself is gone: only a new login helps. */
    gboolean relogin = !g_strcmp0(r->error, "invalid_grant") ||
                       !g_strcmp0(r->error, "expired_token") ||
                       !g_strcmp0(r->error, "access_denied");
    g_autofree char *what = g_strdup_printf("%s%s%s%s", r->error ? r->error : "?",
                                            r->error_description ? " (" : "",
                                            r->error_description ? r->error_description : "",
                                            r->error_description ? ")" : "");
    if (relogin)
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_AUTH,
                    _("account %s: the authorization server refused the login "
                      "(to log in again run: postie oauth login %s): %s"),
                    s->account, s->account, what);
    else
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_AUTH,
                    _("account %s: the authorization server refused: %s"),
                    s->account, what);
    return FALSE;
}

/* Keep what a successful token reply brought.  *NO_REFRESH (if given)
 * says whether the reply lacked a refresh token. */
static gboolean
save_reply(const OAuthSettings *s, OAuthTokenReply *r, const char *old_refresh,
           gboolean *no_refresh, GError **error)
{
    if (no_refresh)
        *no_refresh = r->refresh_token == NULL;
    OAuthStored st = { 0 };
    st.access_token = g_strdup(r->access_token);
    st.expires_at = (gint64)time(NULL) + r->expires_in;
    gboolean changed = r->refresh_token && g_strcmp0(r->refresh_token, old_refresh);
    st.refresh_token = g_strdup(r->refresh_token ? r->refresh_token : old_refresh);
    gboolean ok = oauth_store_save(s, &st, changed, error);
    oauth_stored_clear(&st);
    return ok;
}

/* ---- device code ------------------------------------------------------- */

static gboolean
device_flow(const OAuthSettings *s, OAuthPrompt prompt, gpointer data,
            gboolean *no_refresh, GError **error)
{
    const char *start[] = { "client_id", s->client_id, "scope", s->scope, NULL };
    long status = 0;
    g_autoptr(GBytes) body = oauth_http_post(s->device_url, start, s->timeout,
                                             &status, error);
    if (!body)
        return FALSE;
    gsize len = 0;
    const char *text = g_bytes_get_data(body, &len);
    OAuthDeviceReply d;
    if (!oauth_parse_device_reply(status, text ? text : "", len, &d, error))
        return FALSE;

    g_autofree char *msg = g_strdup_printf(
        _("To log in account %s, open %s in a browser and enter the code %s"),
        s->account, d.verification_uri, d.user_code);
    prompt(msg, data);

    gint64 deadline = g_get_monotonic_time() + d.expires_in * G_USEC_PER_SEC;
    gint64 interval = MAX(d.interval, 1);
    gboolean ok = FALSE;
    for (;;) {
        if (g_get_monotonic_time() + interval * G_USEC_PER_SEC > deadline) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_AUTH,
                        _("account %s: the code expired before the login was "
                          "approved; run 'postie oauth login %s' again"),
                        s->account, s->account);
            break;
        }
        g_usleep((gulong)(interval * G_USEC_PER_SEC));
        const char *poll[] = {
            "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
            "device_code", d.device_code, "client_id", s->client_id,
            s->client_secret ? "client_secret" : NULL, s->client_secret, NULL,
        };
        OAuthTokenReply r;
        if (!token_request(s, poll, &r, error))
            break;
        if (r.kind == OAUTH_REPLY_PENDING) {
            oauth_token_reply_clear(&r);
            continue;
        }
        if (r.kind == OAUTH_REPLY_SLOW_DOWN) {
            interval += 5;            /* RFC 8628 3.5 */
            oauth_token_reply_clear(&r);
            continue;
        }
        if (r.kind == OAUTH_REPLY_OK)
            ok = save_reply(s, &r, NULL, no_refresh, error);
        else
            reply_error(s, &r, error);
        oauth_token_reply_clear(&r);
        break;
    }
    oauth_device_reply_clear(&d);
    return ok;
}

/* ---- authorization code with PKCE and a loopback redirect -------------- */

static void
respond(GSocket *sock, const char *status, const char *text)
{
    g_autofree char *r = g_strdup_printf(
        "HTTP/1.1 %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
        status, strlen(text), text);
    g_socket_send(sock, r, strlen(r), NULL, NULL);
}

/* Read one request head from SOCK (bounded), return its target. */
static char *
read_target(GSocket *sock)
{
    GString *buf = g_string_new(NULL);
    char chunk[1024];
    g_socket_set_timeout(sock, 10);
    while (buf->len < REQUEST_MAX && !strstr(buf->str, "\r\n")) {
        gssize n = g_socket_receive(sock, chunk, sizeof chunk, NULL, NULL);
        if (n <= 0)
            break;
        g_string_append_len(buf, chunk, n);
    }
    char *target = NULL;
    char *eol = strstr(buf->str, "\r\n");
    if (eol && g_str_has_prefix(buf->str, "GET ")) {
        *eol = '\0';
        char *sp = strchr(buf->str + 4, ' ');
        if (sp)
            target = g_strndup(buf->str + 4, (gsize)(sp - (buf->str + 4)));
    }
    g_string_free(buf, TRUE);
    return target;
}

/* Wait for the redirect carrying STATE; the code, or NULL with ERROR. */
static char *
wait_for_code(const OAuthSettings *s, GSocket *listener, const char *state,
              GError **error)
{
    gint64 deadline = g_get_monotonic_time() + BROWSER_WAIT * G_USEC_PER_SEC;
    for (;;) {
        gint64 left = deadline - g_get_monotonic_time();
        if (left <= 0 ||
            !g_socket_condition_timed_wait(listener, G_IO_IN, left, NULL, NULL)) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_AUTH,
                        _("account %s: no answer from the browser within %d "
                          "minutes; run 'postie oauth login %s' again"),
                        s->account, BROWSER_WAIT / 60, s->account);
            return NULL;
        }
        g_autoptr(GSocket) c = g_socket_accept(listener, NULL, NULL);
        if (!c)
            continue;
        g_autofree char *target = read_target(c);
        const char *q = target ? strchr(target, '?') : NULL;
        g_autoptr(GHashTable) params = q ? g_uri_parse_params(q + 1, -1, "&",
                                                               G_URI_PARAMS_NONE, NULL)
                                         : NULL;
        const char *got_state = params ? g_hash_table_lookup(params, "state") : NULL;
        if (!got_state || strcmp(got_state, state) != 0) {
            /* Not our redirect (favicon, another program): ignore it. */
            respond(c, "404 Not Found", "Not found.\n");
            continue;
        }
        const char *code = g_hash_table_lookup(params, "code");
        const char *err = g_hash_table_lookup(params, "error");
        if (!code || !*code) {
            respond(c, "400 Bad Request", "postie: the login was not completed.\n");
            g_autofree char *e = term_safe(err ? err : "?", -1, TERM_SAFE_DEFAULT);
            const char *d = g_hash_table_lookup(params, "error_description");
            g_autofree char *ds = d ? term_safe(d, -1, TERM_SAFE_DEFAULT) : NULL;
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_AUTH,
                        _("account %s: the login was refused: %s%s%s"), s->account,
                        e, ds ? ": " : "", ds ? ds : "");
            return NULL;
        }
        respond(c, "200 OK", "postie: logged in. You can close this window.\n");
        return g_strdup(code);
    }
}

static GSocket *
loopback_listener(guint16 *port, GError **error)
{
    g_autoptr(GError) e = NULL;
    g_autoptr(GSocket) sock = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                           G_SOCKET_PROTOCOL_TCP, &e);
    g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(lo, 0);
    if (!sock || !g_socket_bind(sock, addr, FALSE, &e) || !g_socket_listen(sock, &e)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO,
                    _("cannot listen on 127.0.0.1 for the browser's answer: %s"),
                    e->message);
        return NULL;
    }
    g_autoptr(GSocketAddress) local = g_socket_get_local_address(sock, &e);
    if (!local) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_IO, "%s", e->message);
        return NULL;
    }
    *port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(local));
    return g_steal_pointer(&sock);
}

static char *
authorize_url(const OAuthSettings *s, const char *redirect, const char *state,
              const char *challenge)
{
    const char *params[] = {
        "response_type", "code", "client_id", s->client_id,
        "redirect_uri", redirect, "scope", s->scope, "state", state,
        "code_challenge", challenge, "code_challenge_method", "S256",
        "login_hint", s->login_hint, NULL,
    };
    GString *u = g_string_new(s->authorize_url);
    char sep = strchr(s->authorize_url, '?') ? '&' : '?';
    for (gsize i = 0; params[i]; i += 2) {
        if (!params[i + 1])
            continue;
        g_autofree char *v = g_uri_escape_string(params[i + 1], NULL, FALSE);
        g_string_append_printf(u, "%c%s=%s", sep, params[i], v);
        sep = '&';
    }
    if (s->extra_auth_params)
        g_string_append_printf(u, "&%s", s->extra_auth_params);
    return g_string_free(u, FALSE);
}

/* In a graphical session, also open the address for the user (argv, no
 * shell; its output would garble a terminal screen). */
static void
open_browser(const char *url)
{
    if (!g_getenv("DISPLAY") && !g_getenv("WAYLAND_DISPLAY"))
        return;
    g_autofree char *opener = g_find_program_in_path("xdg-open");
    if (!opener)
        return;
    const char *argv[] = { opener, url, NULL };
    g_spawn_async(NULL, (char **)argv, NULL,
                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL |
                  G_SPAWN_STDIN_FROM_DEV_NULL,
                  spawn_child_setup, NULL, NULL, NULL);
}

static gboolean
browser_flow(const OAuthSettings *s, OAuthPrompt prompt, gpointer data,
             gboolean *no_refresh, GError **error)
{
    guint16 port = 0;
    g_autoptr(GSocket) listener = loopback_listener(&port, error);
    if (!listener)
        return FALSE;
    g_autofree char *verifier = random_string(48);
    g_autofree char *challenge = oauth_pkce_challenge(verifier);
    g_autofree char *state = random_string(16);
    g_autofree char *redirect = g_strdup_printf("http://127.0.0.1:%u/", port);
    g_autofree char *url = authorize_url(s, redirect, state, challenge);

    g_autofree char *msg = g_strdup_printf(
        _("To log in account %s, open this address in a browser on this "
          "machine:\n%s"), s->account, url);
    prompt(msg, data);
    open_browser(url);

    g_autofree char *code = wait_for_code(s, listener, state, error);
    if (!code)
        return FALSE;
    const char *fields[] = {
        "grant_type", "authorization_code", "code", code,
        "redirect_uri", redirect, "client_id", s->client_id,
        "code_verifier", verifier,
        s->client_secret ? "client_secret" : NULL, s->client_secret, NULL,
    };
    OAuthTokenReply r;
    if (!token_request(s, fields, &r, error))
        return FALSE;
    gboolean ok = r.kind == OAUTH_REPLY_OK ? save_reply(s, &r, NULL, no_refresh, error)
                                           : reply_error(s, &r, error);
    oauth_token_reply_clear(&r);
    return ok;
}

gboolean
oauth_login(const OAuthSettings *s, OAuthPrompt prompt, gpointer data,
            GError **error)
{
    GError *e = NULL;
    int lock = oauth_store_lock(s->account, error);
    if (lock < 0)
        return FALSE;
    gboolean no_refresh = FALSE;
    gboolean ok = s->browser ? browser_flow(s, prompt, data, &no_refresh, &e)
                             : device_flow(s, prompt, data, &no_refresh, &e);
    oauth_store_unlock(lock);
    if (!ok) {
        g_propagate_error(error, e);
        return FALSE;
    }
    if (no_refresh)
        /* Works for now, but "token" will need a new login within the hour. */
        prompt(_("warning: the server sent no refresh token (is offline_access "
                 "in oauth_scope?); the login lasts only as long as this access "
                 "token"), data);
    return TRUE;
}

/* ---- access token, refreshed ------------------------------------------- */

static gboolean
still_valid(const OAuthStored *st)
{
    return st->access_token && st->expires_at > (gint64)time(NULL) + EXPIRY_MARGIN;
}

char *
oauth_access_token(const OAuthSettings *s, GError **error)
{
    OAuthStored st;
    GError *e = NULL;
    if (oauth_store_load(s, &st, FALSE, &e) && still_valid(&st)) {
        char *t = g_strdup(st.access_token);
        oauth_stored_clear(&st);
        return t;
    }
    oauth_stored_clear(&st);
    if (e) {
        g_propagate_error(error, e);
        return NULL;
    }
    int lock = oauth_store_lock(s->account, error);
    if (lock < 0)
        return NULL;
    char *token = NULL;
    /* Another postie may have refreshed while we waited for the lock. */
    gboolean have = oauth_store_load(s, &st, TRUE, error);
    if (have && still_valid(&st)) {
        token = g_strdup(st.access_token);
    } else if (have && st.refresh_token) {
        const char *fields[] = {
            "grant_type", "refresh_token", "refresh_token", st.refresh_token,
            "client_id", s->client_id, "scope", s->scope,
            s->client_secret ? "client_secret" : NULL, s->client_secret, NULL,
        };
        OAuthTokenReply r;
        if (token_request(s, fields, &r, error)) {
            if (r.kind == OAUTH_REPLY_OK) {
                if (save_reply(s, &r, st.refresh_token, NULL, error))
                    token = g_strdup(r.access_token);
            } else {
                reply_error(s, &r, error);
            }
            oauth_token_reply_clear(&r);
        }
    } else if (error && !*error) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_AUTH,
                    _("account %s has no OAuth login yet (or it expired); to "
                      "log in run: postie oauth login %s"), s->account, s->account);
    }
    oauth_stored_clear(&st);
    oauth_store_unlock(lock);
    return token;
}
