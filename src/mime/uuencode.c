/* Inline uuencode: find "begin MODE NAME" ... "end" blocks in text, decode
 * them, and encode files the same way for gateways that want it.  GMime
 * decodes a whole x-uuencode part but has no scanner for blocks inside
 * text, and does not give the name, so the lines are scanned here and each
 * block's data lines are decoded with g_mime_encoding_uudecode_step. */
#include <config.h>

#include <string.h>

#include "mime/private.h"

#define UU_CHAR(c) ((((unsigned char)(c)) - ' ') & 077)
#define UU_MAX_NAME 1024

/* "begin 644 name": mode of 3 or 4 octal digits, then the name.  Some
 * encoders leave the name out ("begin 644"): *NAME is then NULL, and the
 * caller takes the block only when its "end" line comes. */
static gboolean
parse_begin(const char *line, gsize len, guint *mode, char **name)
{
    if (len < 9 || strncmp(line, "begin ", 6) != 0)
        return FALSE;
    gsize i = 6, digits = 0;
    guint m = 0;
    while (i < len && line[i] >= '0' && line[i] <= '7' && digits < 5) {
        m = m * 8 + (guint)(line[i] - '0');
        i++, digits++;
    }
    if (digits < 3 || digits > 4 || (i < len && line[i] != ' '))
        return FALSE;
    gsize nlen = i < len ? len - i - 1 : 0;
    if (nlen > 0)
        i++;
    while (nlen > 0 && (line[i + nlen - 1] == ' ' || line[i + nlen - 1] == '\t'))
        nlen--;
    if (nlen > UU_MAX_NAME)
        return FALSE;
    *mode = m;
    *name = nlen ? g_strndup(line + i, nlen) : NULL;
    return TRUE;
}

/* A data line: its first character gives the byte count (0..45), then
 * four characters per three bytes, each between ' ' and '`'.  Old
 * encoders write zero bits as spaces and mail software strips trailing
 * spaces, so a line may be cut anywhere after its count character: the
 * missing characters are spaces, as uudecode takes them.  Fills OUT
 * (4 * 15 + 1 bytes at least) with the normalised line; returns the byte
 * count, or -1 when this is no data line. */
static int
normalise_data_line(const char *line, gsize len, char *out)
{
    if (len == 0)
        return -1;
    if ((unsigned char)line[0] < ' ' || (unsigned char)line[0] > '`')
        return -1;
    int n = UU_CHAR(line[0]);
    if (n > 45)
        return -1;
    gsize need = (gsize)((n + 2) / 3) * 4;
    gsize have = len - 1;
    out[0] = line[0];
    for (gsize i = 0; i < need; i++) {
        char c = i < have ? line[1 + i] : ' ';
        if ((unsigned char)c < ' ' || (unsigned char)c > '`')
            return -1;
        out[1 + i] = c;
    }
    /* Extra characters after the data: some encoders add a checksum
     * character; anything else printable is tolerated too. */
    for (gsize i = need; i < have; i++)
        if ((unsigned char)line[1 + i] < ' ' || (unsigned char)line[1 + i] > '~')
            return -1;
    out[1 + need] = '\n';
    out[2 + need] = '\0';
    return n;
}

static gboolean
is_end_line(const char *line, gsize len)
{
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    return len == 3 && strncmp(line, "end", 3) == 0;
}

void
mime_uu_block_free(MimeUuBlock *b)
{
    if (!b)
        return;
    g_free(b->name);
    if (b->data)
        g_bytes_unref(b->data);
    g_free(b);
}

/* Next line of TEXT from *POS: sets *LEN without the line end (LF or CRLF). */
static const char *
next_line(const char *text, gsize text_len, gsize *pos, gsize *len)
{
    if (*pos >= text_len)
        return NULL;
    const char *start = text + *pos;
    const char *nl = memchr(start, '\n', text_len - *pos);
    gsize l = nl ? (gsize)(nl - start) : text_len - *pos;
    *pos += l + (nl ? 1 : 0);
    if (l > 0 && start[l - 1] == '\r')
        l--;
    *len = l;
    return start;
}

GPtrArray *
mime_uu_scan(const char *text, gsize text_len, GString *rest)
{
    GPtrArray *blocks = g_ptr_array_new_with_free_func((GDestroyNotify)mime_uu_block_free);
    gsize pos = 0, len = 0;
    const char *line;
    char norm[70];

    while ((line = next_line(text, text_len, &pos, &len))) {
        guint mode = 0;
        char *name = NULL;
        gsize after_begin = pos;
        if (!parse_begin(line, len, &mode, &name)) {
            if (rest) {
                g_string_append_len(rest, line, (gssize)len);
                g_string_append_c(rest, '\n');
            }
            continue;
        }

        /* The block: consecutive data lines, then "end".  A "begin" line
         * followed by no data line is just text. */
        GByteArray *data = g_byte_array_new();
        gboolean damaged = FALSE, ended = FALSE, any = FALSE;
        int state = GMIME_UUDECODE_STATE_BEGIN;
        guint32 save = 0;
        gsize declared = 0;
        gsize block_end = pos;
        gsize lpos = pos, llen = 0;
        const char *l;
        while ((l = next_line(text, text_len, &lpos, &llen))) {
            if (is_end_line(l, llen)) {
                ended = TRUE;
                block_end = lpos;
                break;
            }
            /* The last, empty data line ("`" or " ") lost to stripping. */
            gsize peek = lpos, plen = 0;
            const char *pl = llen == 0 ? next_line(text, text_len, &peek, &plen) : NULL;
            if (pl && is_end_line(pl, plen)) {
                ended = TRUE;
                block_end = peek;
                break;
            }
            int n = normalise_data_line(l, llen, norm);
            if (n < 0)
                break;
            any = TRUE;
            block_end = lpos;
            declared += (gsize)n;
            if (n == 0)
                continue;
            unsigned char out[64];
            gsize nl = strlen(norm);
            state = GMIME_UUDECODE_STATE_BEGIN;
            save = 0;
            gsize got = g_mime_encoding_uudecode_step((const unsigned char *)norm, nl,
                                                      out, &state, &save);
            g_byte_array_append(data, out, (guint)MIN(got, (gsize)n));
            if (got < (gsize)n)
                damaged = TRUE;
        }
        if ((!any && !ended) || (!name && !ended)) {
            /* Not a block after all (a nameless one must be whole). */
            g_byte_array_unref(data);
            g_free(name);
            if (rest) {
                g_string_append_len(rest, line, (gssize)len);
                g_string_append_c(rest, '\n');
            }
            pos = after_begin;
            continue;
        }
        if (!ended)
            damaged = TRUE;
        if (data->len != declared)
            damaged = TRUE;

        MimeUuBlock *b = g_new0(MimeUuBlock, 1);
        b->name = name;
        b->mode = mode;
        b->damaged = damaged;
        b->data = g_byte_array_free_to_bytes(data);
        g_ptr_array_add(blocks, b);
        b->rest_offset = rest ? rest->len : 0;
        pos = block_end;
    }
    return blocks;
}

void
mime_uu_encode_block(GString *out, const char *name, const guint8 *data, gsize len)
{
    g_string_append_printf(out, "begin 644 %s\n", name);
    unsigned char uubuf[60];
    int state = 0;
    guint32 save = 0;
    gsize cap = GMIME_UUENCODE_LEN(len) + 8;
    unsigned char *buf = g_malloc(cap);
    gsize n = g_mime_encoding_uuencode_close(data, len, buf, uubuf, &state, &save);
    g_string_append_len(out, (const char *)buf, (gssize)n);
    g_free(buf);
    if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c(out, '\n');
    g_string_append(out, "end\n");
}
