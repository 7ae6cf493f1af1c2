/* A string hash for tables of many short keys (UIDs: 100,000 of them on a
 * large mailbox, hashed a dozen times each per fetch).  g_str_hash takes
 * a byte at a time; this takes eight.  Like g_str_hash it is not meant to
 * resist keys chosen to collide. */
#include <config.h>

#include <string.h>

#include "util/util.h"

guint
str_hash_fast(gconstpointer key)
{
    const unsigned char *p = key;
    gsize n = strlen(key);
    guint64 h = G_GUINT64_CONSTANT(0x9E3779B97F4A7C15) ^ n;
    while (n >= 8) {
        guint64 w;
        memcpy(&w, p, 8);
        h = (h ^ w) * G_GUINT64_CONSTANT(0xff51afd7ed558ccd);
        h ^= h >> 32;
        p += 8;
        n -= 8;
    }
    guint64 w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * G_GUINT64_CONSTANT(0xc4ceb9fe1a85ec53);
    h ^= h >> 29;
    return (guint)(h ^ (h >> 32));
}
