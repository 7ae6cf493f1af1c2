/* libcurl, loaded when first needed (net/curl.c).
 *
 * Only the provider lookup (net_https_get) and OAuth (oauth/http.c) use
 * libcurl, but linking it loads some twenty libraries (HTTP/2, SSH, LDAP,
 * Kerberos, ...) into every start of postie: 3 ms of CPU, half of what a
 * `postie send` costs before it does anything.  So libcurl is opened
 * with GModule on the first use, and called through this table. */
#ifndef POSTIE_NET_CURL_H
#define POSTIE_NET_CURL_H

#include <glib.h>
#include <curl/curl.h>

typedef struct {
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *curl);
    CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *curl);
    const char *(*easy_strerror)(CURLcode code);
    char *(*easy_escape)(CURL *curl, const char *s, int len);
    void (*free)(void *p);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
} NetCurl;

/* libcurl loaded and globally initialised (once, thread-safe), or NULL
 * with POSTIE_ERROR_FAILED saying why. */
const NetCurl *net_curl(GError **error);

#endif
