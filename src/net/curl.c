/* net_curl(): libcurl opened on first use (see curl.h for why). */
#include <config.h>

#include <gmodule.h>

#include "net/curl.h"
#include "util/util.h"

/* The runtime name of the libcurl we were built against (ABI 4 since
 * 2006). */
#define LIBCURL_NAME "libcurl.so.4"

static NetCurl table;
static char *load_error;

static gboolean
sym(GModule *m, const char *name, gpointer *out)
{
    if (g_module_symbol(m, name, out) && *out)
        return TRUE;
    load_error = g_strdup_printf("%s: %s", name, g_module_error());
    return FALSE;
}

static gpointer
load_once(gpointer unused)
{
    GModule *m = g_module_open(LIBCURL_NAME, G_MODULE_BIND_LOCAL);
    if (!m) {
        load_error = g_strdup(g_module_error());
        return NULL;
    }
    CURLcode (*global_init)(long flags) = NULL;
    gboolean ok = sym(m, "curl_global_init", (gpointer *)&global_init) &&
        sym(m, "curl_easy_init", (gpointer *)&table.easy_init) &&
        sym(m, "curl_easy_setopt", (gpointer *)&table.easy_setopt) &&
        sym(m, "curl_easy_perform", (gpointer *)&table.easy_perform) &&
        sym(m, "curl_easy_getinfo", (gpointer *)&table.easy_getinfo) &&
        sym(m, "curl_easy_cleanup", (gpointer *)&table.easy_cleanup) &&
        sym(m, "curl_easy_strerror", (gpointer *)&table.easy_strerror) &&
        sym(m, "curl_easy_escape", (gpointer *)&table.easy_escape) &&
        sym(m, "curl_free", (gpointer *)&table.free) &&
        sym(m, "curl_slist_append", (gpointer *)&table.slist_append) &&
        sym(m, "curl_slist_free_all", (gpointer *)&table.slist_free_all);
    if (ok && global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        load_error = g_strdup("curl_global_init failed");
        ok = FALSE;
    }
    /* Never closed: libcurl keeps global state once initialised. */
    g_module_make_resident(m);
    return ok ? &table : NULL;
}

const NetCurl *
net_curl(GError **error)
{
    static GOnce once = G_ONCE_INIT;
    const NetCurl *c = g_once(&once, load_once, NULL);
    if (!c)
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FAILED,
                    _("libcurl (%s) could not be loaded: %s"), LIBCURL_NAME,
                    load_error ? load_error : "?");
    return c;
}
