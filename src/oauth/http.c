/* One form POST to an authorization server with libcurl.
 *
 * https only, except to this machine (tests, local proxies); certificate
 * and host name checked by libcurl against the system CAs (or
 * $SSL_CERT_FILE); through $https_proxy when set (a CONNECT tunnel,
 * checked end to end), never for this machine; no redirects
 * followed; the reply is cut off (and refused) past OAUTH_REPLY_MAX
 * bytes, and the whole exchange past the account's timeout.
 */
#include <config.h>

#include <string.h>

#include "net/curl.h"
#include "oauth/oauth.h"
#include "util/util.h"

typedef struct {
    GByteArray *body;
    gboolean too_large;
} Sink;

static size_t
on_data(char *data, size_t size, size_t n, void *arg)
{
    Sink *s = arg;
    size_t len = size * n;
    if (s->body->len + len > OAUTH_REPLY_MAX) {
        s->too_large = TRUE;
        return 0;             /* makes libcurl stop with CURLE_WRITE_ERROR */
    }
    g_byte_array_append(s->body, (const guint8 *)data, (guint)len);
    return len;
}

static char *
form_encode(const NetCurl *nc, CURL *curl, const char *const *fields)
{
    GString *form = g_string_new(NULL);
    for (gsize i = 0; fields[i] && fields[i + 1]; i += 2) {
        char *k = nc->easy_escape(curl, fields[i], 0);
        char *v = nc->easy_escape(curl, fields[i + 1], 0);
        g_string_append_printf(form, "%s%s=%s", form->len ? "&" : "", k, v);
        nc->free(k);
        if (v) {
            memset(v, 0, strlen(v));
            nc->free(v);
        }
    }
    return g_string_free(form, FALSE);
}

GBytes *
oauth_http_post(const char *url, const char *const *fields, int timeout,
                long *status, GError **error)
{
    *status = 0;
    if (!conf_url_allowed(url)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG,
                    _("refusing to send OAuth requests to %s: only https:// "
                      "addresses (or http:// to this machine) are allowed"), url);
        return NULL;
    }
    g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
    const char *host = g_uri_get_host(uri);
    const NetCurl *nc = net_curl(error);
    if (!nc)
        return NULL;
    CURL *curl = nc->easy_init();
    if (!curl) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                    _("cannot start an HTTP request (libcurl)"));
        return NULL;
    }
    Sink sink = { g_byte_array_new(), FALSE };
    char errbuf[CURL_ERROR_SIZE] = "";
    char *form = form_encode(nc, curl, fields);
    struct curl_slist *headers = nc->slist_append(NULL, "Accept: application/json");
    /* A CA file instead of the system's, as for net_https_get(). */
    const char *ca = g_getenv("SSL_CERT_FILE");
    if (ca && *ca)
        nc->easy_setopt(curl, CURLOPT_CAINFO, ca);
    nc->easy_setopt(curl, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
    nc->easy_setopt(curl, CURLOPT_PROTOCOLS_STR,
                     g_str_has_prefix(url, "https:") ? "https" : "http");
#else
    nc->easy_setopt(curl, CURLOPT_PROTOCOLS,
                     g_str_has_prefix(url, "https:") ? CURLPROTO_HTTPS : CURLPROTO_HTTP);
#endif
    nc->easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    nc->easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    nc->easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    nc->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    nc->easy_setopt(curl, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
    nc->easy_setopt(curl, CURLOPT_TIMEOUT, (long)MAX(timeout, 1));
    nc->easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)MAX(timeout, 1));
    nc->easy_setopt(curl, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
    nc->easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    nc->easy_setopt(curl, CURLOPT_POSTFIELDS, form);
    nc->easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    nc->easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    nc->easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    nc->easy_setopt(curl, CURLOPT_MAXFILESIZE, (long)OAUTH_REPLY_MAX);
    CURLcode rc = nc->easy_perform(curl);
    nc->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    nc->slist_free_all(headers);
    nc->easy_cleanup(curl);
    memset(form, 0, strlen(form));
    g_free(form);

    if (sink.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
        g_byte_array_unref(sink.body);
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL,
                    _("the authorization server %s sent a reply larger than "
                      "%d KiB; postie stopped reading it"), host,
                    OAUTH_REPLY_MAX / 1024);
        return NULL;
    }
    if (rc != CURLE_OK) {
        g_byte_array_unref(sink.body);
        g_autofree char *why = term_safe(*errbuf ? errbuf : nc->easy_strerror(rc),
                                         -1, TERM_SAFE_DEFAULT);
        int code = rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CONNECT_ERROR
                       ? POSTIE_ERROR_TLS : POSTIE_ERROR_NET;
        g_set_error(error, POSTIE_ERROR, code,
                    _("cannot reach the authorization server %s: %s"), host, why);
        return NULL;
    }
    return g_byte_array_free_to_bytes(sink.body);
}
