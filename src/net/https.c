/* net_https_get(): one small HTTPS download with libcurl (see net.h).
 * libcurl does the TLS checks itself (peer and host verification are its
 * defaults and are set here explicitly); only https is allowed, for the
 * first request and for every redirect, so a file never comes over plain
 * HTTP.  A proxy named by $https_proxy (libcurl's own environment) is
 * used as a tunnel (CONNECT): TLS and its checks still run end to end
 * with the provider. */
#include <config.h>

#include <stdlib.h>

#include "net/curl.h"
#include "net/net.h"
#include "util/util.h"

typedef struct {
    GByteArray *body;
    gsize max;
    gboolean too_big;
} Download;

static size_t
on_data(char *ptr, size_t size, size_t n, void *data)
{
    Download *d = data;
    gsize len = size * n;
    if (d->body->len + len > d->max) {
        d->too_big = TRUE;
        return 0;              /* stops the transfer */
    }
    g_byte_array_append(d->body, (const guint8 *)ptr, (guint)len);
    return len;
}

GBytes *
net_https_get(const char *url, gsize max, int timeout, GError **error)
{
    if (!g_str_has_prefix(url, "https://")) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET, _("%s: only https is used"), url);
        return NULL;
    }
    const NetCurl *nc = net_curl(error);
    if (!nc)
        return NULL;
    CURL *c = nc->easy_init();
    if (!c) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET, _("%s: libcurl did not start"), url);
        return NULL;
    }
    Download d = { g_byte_array_new(), max, FALSE };
    char errbuf[CURL_ERROR_SIZE] = "";
    const char *ca = getenv("SSL_CERT_FILE");
    if (ca && *ca)
        nc->easy_setopt(c, CURLOPT_CAINFO, ca);
    nc->easy_setopt(c, CURLOPT_URL, url);
    nc->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    nc->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    nc->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    nc->easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
    nc->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    nc->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    nc->easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    nc->easy_setopt(c, CURLOPT_TIMEOUT, (long)timeout);
    nc->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)timeout);
    nc->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    nc->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    nc->easy_setopt(c, CURLOPT_WRITEDATA, &d);
    nc->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    nc->easy_setopt(c, CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
    CURLcode rc = nc->easy_perform(c);
    long status = 0;
    nc->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    nc->easy_cleanup(c);

    if (d.too_big) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s: larger than %" G_GSIZE_FORMAT " bytes"), url, max);
    } else if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CONNECT_ERROR ||
               rc == CURLE_SSL_CACERT_BADFILE) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_TLS, "%s: %s", url,
                    *errbuf ? errbuf : nc->easy_strerror(rc));
    } else if (rc != CURLE_OK) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET, "%s: %s", url,
                    *errbuf ? errbuf : nc->easy_strerror(rc));
    } else if (status != 200) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_NET, _("%s: the server answered %ld"),
                    url, status);
    } else {
        return g_byte_array_free_to_bytes(d.body);
    }
    g_byte_array_unref(d.body);
    return NULL;
}
