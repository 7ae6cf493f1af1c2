/* libFuzzer target for every parser of POP3 server input: status lines,
 * CAPA, greeting timestamps, STAT/LIST/UIDL lines, and the multi-line
 * decoder fed in pieces whose sizes come from the input itself. */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "pop3/private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
parse_lines(const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", 0);
    g_autoptr(GPtrArray) mechs = g_ptr_array_new_with_free_func(g_free);
    guint caps = 0;
    for (char **l = lines; *l; l++) {
        Pop3Reply r;
        pop3_parse_reply(*l, strlen(*l), &r);
        if (r.kind == POP3_REPLY_ERR)
            (void) pop3_resp_code_message(r.code);
        pop3_parse_capa_line(*l, &caps, mechs);
        g_free(pop3_parse_greeting_timestamp(*l));
        guint n, c;
        guint64 sz, o;
        (void) pop3_parse_list_line(*l, &n, &sz);
        (void) pop3_parse_stat(*l, &c, &o);
        const char *uid;
        gboolean valid;
        if (pop3_parse_uidl_line(*l, &n, &uid, &valid) && valid)
            g_assert(pop3_uid_is_valid(uid, strlen(uid)));
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = g_strndup((const char *) data, size);
    parse_lines(text);

    /* The decoder: the same input whole and in pieces must agree. */
    g_autoptr(GString) whole = g_string_new(NULL);
    g_autoptr(GString) parts = g_string_new(NULL);
    Pop3Unstuff u;
    gsize used = 0;
    pop3_unstuff_init(&u, 4096);
    Pop3UnstuffResult rw = pop3_unstuff_feed(&u, (const char *) data, size, whole, &used);
    gsize used_whole = used;

    pop3_unstuff_init(&u, 4096);
    gsize pos = 0, step = size ? (data[0] % 7) + 1 : 1;
    Pop3UnstuffResult rp = POP3_UNSTUFF_MORE;
    while (pos < size && rp == POP3_UNSTUFF_MORE) {
        gsize n = MIN(step, size - pos);
        rp = pop3_unstuff_feed(&u, (const char *) data + pos, n, parts, &used);
        g_assert(used <= n);
        pos += used;
    }
    g_assert(rw == rp);
    if (rw == POP3_UNSTUFF_DONE) {
        g_assert(pos == used_whole);
        g_assert(whole->len == parts->len);
        g_assert(memcmp(whole->str, parts->str, whole->len) == 0);
    }
    return 0;
}
