/* The mbox scanner: finds messages and the few headers the index needs.
 *
 * Speed matters here (folders of 100,000 messages), so no MIME parser
 * runs: header lines are walked with memchr, bodies are skipped with one
 * memmem for "\nFrom " (or a Content-Length hint that checks out), and
 * only the headers we keep are decoded. */
#include <config.h>

#include <string.h>
#include <sys/mman.h>

#include "mime/header.h"
#include "store/private.h"

static const char *const weekdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static gboolean
is_name3(const char *p, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (p[0] == names[i][0] && p[1] == names[i][1] && p[2] == names[i][2])
            return TRUE;
    return FALSE;
}

/* After "From ": a sender, then a ctime-style date "Www Mmm dd hh:mm".
 * The sender may hold spaces, so look for the date anywhere. */
gboolean
store_from_line_plausible(const char *p, gsize len)
{
    if (len > 1024)
        len = 1024;
    for (gsize i = 0; i + 16 <= len; i++) {
        if (i > 0 && p[i - 1] != ' ')
            continue;
        if (!is_name3(p + i, weekdays, 7) || p[i + 3] != ' ')
            continue;
        gsize j = i + 4;
        while (j < len && p[j] == ' ')
            j++;
        if (j + 3 >= len || !is_name3(p + j, months, 12) || p[j + 3] != ' ')
            continue;
        j += 4;
        while (j < len && p[j] == ' ')
            j++;
        int digits = 0;
        while (j < len && g_ascii_isdigit(p[j]) && digits < 3) {
            j++;
            digits++;
        }
        if (digits < 1 || digits > 2 || j >= len || p[j] != ' ')
            continue;
        while (j < len && p[j] == ' ')
            j++;
        if (j + 5 <= len && g_ascii_isdigit(p[j]) && g_ascii_isdigit(p[j + 1]) &&
            p[j + 2] == ':' && g_ascii_isdigit(p[j + 3]) && g_ascii_isdigit(p[j + 4]))
            return TRUE;
    }
    return FALSE;
}

static gsize
line_len(const char *map, guint64 len, guint64 pos)
{
    const char *nl = memchr(map + pos, '\n', len - pos);
    return nl ? (gsize)(nl - (map + pos)) : (gsize)(len - pos);
}

gboolean
store_is_separator(const char *map, guint64 len, guint64 pos)
{
    if (pos + 5 > len || memcmp(map + pos, "From ", 5) != 0)
        return FALSE;
    if (pos > 0) {
        /* The line before must be empty: "\n\n" or "\n\r\n". */
        if (map[pos - 1] != '\n' || pos < 2)
            return FALSE;
        if (map[pos - 2] != '\n' &&
            !(map[pos - 2] == '\r' && pos >= 3 && map[pos - 3] == '\n'))
            return FALSE;
    }
    gsize l = line_len(map, len, pos);
    return store_from_line_plausible(map + pos + 5, l - 5);
}

/* Thunderbird keeps a message's flags in "X-Mozilla-Status: 0001", four
 * hex digits (nsMsgMessageFlags): 0x1 read, 0x2 replied, 0x4 flagged,
 * 0x8 deleted and waiting for Thunderbird to compact the folder. */
guint32
store_parse_mozilla_status(const char *v, gsize len)
{
    guint32 bits = 0;
    gsize i = 0, digits = 0;
    while (i < len && (v[i] == ' ' || v[i] == '\t'))
        i++;
    for (; i < len && g_ascii_isxdigit(v[i]) && digits < 8; i++, digits++)
        bits = bits << 4 | (guint32)g_ascii_xdigit_value(v[i]);
    if (digits == 0)
        return 0;
    guint32 flags = 0;
    if (bits & 0x1)
        flags |= MSG_READ;
    if (bits & 0x2)
        flags |= MSG_REPLIED;
    if (bits & 0x4)
        flags |= MSG_FLAGGED;
    if (bits & 0x8)
        flags |= MSG_DELETED;
    return flags;
}

guint32
store_parse_status(const char *v, gsize len, gboolean x_status)
{
    guint32 flags = 0;
    for (gsize i = 0; i < len; i++) {
        switch (v[i]) {
        case 'R': if (!x_status) flags |= MSG_READ; break;
        case 'O': if (!x_status) flags |= MSG_OLD; break;
        case 'r': if (!x_status) flags |= MSG_REPLIED; break;   /* mutt reads it */
        case 'A': if (x_status) flags |= MSG_REPLIED; break;
        case 'F': if (x_status) flags |= MSG_FLAGGED; break;
        case 'D': if (x_status) flags |= MSG_DELETED; break;
        default: break;
        }
    }
    return flags;
}

/* The headers the index keeps. */
enum {
    H_FROM, H_TO, H_CC, H_SUBJECT, H_DATE, H_MESSAGE_ID, H_IN_REPLY_TO,
    H_REFERENCES, H_UIDL, H_STATUS, H_X_STATUS, H_MOZILLA_STATUS, H_PARTIAL,
    H_CONTENT_TYPE, H_CONTENT_DISPOSITION, H_CONTENT_LENGTH, H_COUNT
};

static const struct {
    const char *name;
    gsize len;
} header_names[H_COUNT] = {
    [H_FROM] = { "from", 4 },
    [H_TO] = { "to", 2 },
    [H_CC] = { "cc", 2 },
    [H_SUBJECT] = { "subject", 7 },
    [H_DATE] = { "date", 4 },
    [H_MESSAGE_ID] = { "message-id", 10 },
    [H_IN_REPLY_TO] = { "in-reply-to", 11 },
    [H_REFERENCES] = { "references", 10 },
    [H_UIDL] = { "x-postie-uidl", 13 },
    [H_STATUS] = { "status", 6 },
    [H_X_STATUS] = { "x-status", 8 },
    [H_MOZILLA_STATUS] = { "x-mozilla-status", 16 },
    [H_PARTIAL] = { "x-postie-partial", 16 },
    [H_CONTENT_TYPE] = { "content-type", 12 },
    [H_CONTENT_DISPOSITION] = { "content-disposition", 19 },
    [H_CONTENT_LENGTH] = { "content-length", 14 },
};

static int
header_id(const char *name, gsize len)
{
    /* Cheap filter on the first letter before any compare. */
    switch (name[0] | 0x20) {
    case 'f': case 't': case 'c': case 's': case 'd': case 'm': case 'i':
    case 'r': case 'x':
        break;
    default:
        return -1;
    }
    for (int i = 0; i < H_COUNT; i++)
        if (header_names[i].len == len &&
            g_ascii_strncasecmp(name, header_names[i].name, len) == 0)
            return i;
    return -1;
}

typedef struct {
    const char *v;
    gsize len;
} Span;

static const char *
skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

static gboolean
span_starts(Span s, const char *prefix)
{
    const char *p = skip_ws(s.v, s.v + s.len);
    gsize n = strlen(prefix);
    return (gsize)(s.v + s.len - p) >= n && g_ascii_strncasecmp(p, prefix, n) == 0;
}

/* StoreCrypto bits for a Content-Type value. */
static guint8
content_type_crypto(Span ct)
{
    if (span_starts(ct, "multipart/signed"))
        return STORE_CRYPTO_SIGNED;
    if (span_starts(ct, "multipart/encrypted"))
        return STORE_CRYPTO_ENCRYPTED;
    if (span_starts(ct, "application/pkcs7-mime") || span_starts(ct, "application/x-pkcs7-mime")) {
        g_autofree char *v = g_ascii_strdown(ct.v, (gssize)ct.len);
        return strstr(v, "signed-data") ? STORE_CRYPTO_SIGNED : STORE_CRYPTO_ENCRYPTED;
    }
    return 0;
}

/* The map is read once, front to back; what lies behind is given back
 * in chunks of this size, so that a folder (or one message in it) larger
 * than memory should hold never stays resident. */
#define RELEASE_CHUNK (4u << 20)

/* memmem in MAP[FROM, TO), one window at a time, giving back the whole
 * RELEASE_CHUNKs passed without a hit. */
static const char *
find_windowed(const char *map, guint64 from, guint64 to, const char *needle,
              gsize nlen)
{
    guint64 p = from;
    guint64 released = (from + RELEASE_CHUNK - 1) & ~(guint64)(RELEASE_CHUNK - 1);
    while (p < to) {
        guint64 wend = to - p > RELEASE_CHUNK ? p + RELEASE_CHUNK : to;
        const char *hit = memmem(map + p, (gsize)(wend - p), needle, nlen);
        if (hit || wend == to)
            return hit;
        p = wend - (nlen - 1);               /* a hit may straddle */
        guint64 upto = p & ~(guint64)(RELEASE_CHUNK - 1);
        if (upto > released) {
            madvise((void *)(map + released), (size_t)(upto - released), MADV_DONTNEED);
            released = upto;
        }
    }
    return NULL;
}

/* "begin NNN name" at a line start anywhere in MAP[FROM, TO). */
static gboolean
has_uuencode(const char *map, guint64 from, guint64 to)
{
    const char *p = map + from, *end = map + to;
    while (p < end) {
        const char *hit = find_windowed(map, (guint64)(p - map), to, "\nbegin ", 7);
        if (!hit)
            return FALSE;
        const char *q = hit + 7;
        int digits = 0;
        while (q < end && *q >= '0' && *q <= '7' && digits < 5) {
            q++;
            digits++;
        }
        if ((digits == 3 || digits == 4) && q + 1 < end && *q == ' ' &&
            q[1] != '\n' && q[1] != '\r')
            return TRUE;
        p = hit + 1;
    }
    return FALSE;
}

static guint64
parse_length(Span s, gboolean *ok)
{
    const char *p = skip_ws(s.v, s.v + s.len), *end = s.v + s.len;
    guint64 v = 0;
    *ok = FALSE;
    while (p < end && g_ascii_isdigit(*p)) {
        if (v > G_MAXUINT64 / 10 - 10)
            return 0;
        v = v * 10 + (guint64)(*p - '0');
        p++;
        *ok = TRUE;
    }
    return v;
}

/* How many '\n' an append writes before its From_ line so that the line
 * follows an empty one: 0, 1 or 2.  TAIL is the file's last TL (at most
 * 3) bytes. */
guint
store_missing_newlines(const char *tail, gsize tl)
{
    if (tl == 0)
        return 0;
    if (tl >= 2 && tail[tl - 1] == '\n' &&
        (tail[tl - 2] == '\n' || (tl == 3 && tail[0] == '\n' && tail[1] == '\r')))
        return 0;
    return tail[tl - 1] == '\n' ? 1 : 2;
}

/* Where does the message whose body starts at BODY end?  Returns the
 * offset of the next separator, or LEN.
 *
 * A Content-Length hint checks out when it lands on a separator, or on
 * the empty line before one.  At the end of the file it is judged as if
 * the next message were already appended (after the newlines an append
 * adds): otherwise a hint one byte past the end would be ignored today
 * and trusted after the next delivery, and a message further down would
 * be swallowed by the one before it, out of the index, as mail arrives. */
static guint64
find_next(const char *map, guint64 len, guint64 body, Span clen)
{
    if (clen.v) {
        gboolean ok;
        guint64 cl = parse_length(clen, &ok);
        gsize tl = len >= 3 ? 3 : (gsize)len;
        guint64 next_from = len + store_missing_newlines(map + len - tl, tl);
        if (ok && cl <= next_from - body) {
            guint64 c = body + cl;
            for (guint64 s = c; s <= c + 2 && s <= next_from; s++) {
                if (s == next_from)
                    return len;
                if (s >= len)          /* a newline the append will add */
                    continue;
                if (store_is_separator(map, len, s))
                    return s;
                if (map[s] != '\n' && map[s] != '\r')
                    break;
            }
        }
    }
    guint64 p = body > 0 ? body - 1 : 0;
    while (p < len) {
        const char *hit = find_windowed(map, p, len, "\nFrom ", 6);
        if (!hit)
            return len;
        guint64 s = (guint64)(hit - map) + 1;
        if (store_is_separator(map, len, s))
            return s;
        p = s;
    }
    return len;
}

static void
fill_message(StoreMessage *m, Span *h, GStringChunk *strings)
{
    if (h[H_FROM].v)
        m->from = store_decode_addresses(strings, h[H_FROM].v, h[H_FROM].len);
    if (h[H_TO].v)
        m->to = store_decode_addresses(strings, h[H_TO].v, h[H_TO].len);
    if (h[H_CC].v)
        m->cc = store_decode_addresses(strings, h[H_CC].v, h[H_CC].len);
    if (h[H_SUBJECT].v)
        m->subject = store_decode_text(strings, h[H_SUBJECT].v, h[H_SUBJECT].len);
    if (h[H_DATE].v)
        m->date = store_parse_date(h[H_DATE].v, h[H_DATE].len);
    if (h[H_MESSAGE_ID].v)
        m->message_id = store_decode_plain(strings, h[H_MESSAGE_ID].v, h[H_MESSAGE_ID].len);
    if (h[H_IN_REPLY_TO].v)
        m->in_reply_to = store_decode_plain(strings, h[H_IN_REPLY_TO].v, h[H_IN_REPLY_TO].len);
    if (h[H_REFERENCES].v)
        m->references = store_decode_plain(strings, h[H_REFERENCES].v, h[H_REFERENCES].len);
    if (h[H_UIDL].v)
        m->uidl = store_decode_plain(strings, h[H_UIDL].v, h[H_UIDL].len);
    if (h[H_STATUS].v)
        m->flags |= store_parse_status(h[H_STATUS].v, h[H_STATUS].len, FALSE);
    if (h[H_X_STATUS].v)
        m->flags |= store_parse_status(h[H_X_STATUS].v, h[H_X_STATUS].len, TRUE);
    /* A folder of Thunderbird's, until a program of the mutt family
     * writes its flags the mbox way (and drops this line). */
    if (!h[H_STATUS].v && !h[H_X_STATUS].v && h[H_MOZILLA_STATUS].v)
        m->flags |= store_parse_mozilla_status(h[H_MOZILLA_STATUS].v, h[H_MOZILLA_STATUS].len);
    if (h[H_PARTIAL].v && span_starts(h[H_PARTIAL], "yes"))
        m->flags |= MSG_PARTIAL;
    /* Read implies seen: report OLD only for unread mail (mutt writes
     * "RO" for read messages). */
    if (m->flags & MSG_READ)
        m->flags &= ~(guint32)MSG_OLD;
    if ((h[H_CONTENT_TYPE].v && span_starts(h[H_CONTENT_TYPE], "multipart/mixed")) ||
        (h[H_CONTENT_DISPOSITION].v && span_starts(h[H_CONTENT_DISPOSITION], "attachment")))
        m->has_attachments = TRUE;
    m->crypto = h[H_CONTENT_TYPE].v ? content_type_crypto(h[H_CONTENT_TYPE]) : 0;
}

/* Where the scan stands: the next message's offset, and the end of the
 * pages already given back. */
typedef struct {
    guint64 pos;
    guint64 released;
} ScanState;

/* Index messages from ST->pos on until one starts at or after STOP (or
 * the file ends).  Each message is found from its own start alone, so a
 * scan begun at any message's offset gives what a scan from the start
 * gives from there on: what the two-thread scan below relies on. */
static void
scan_messages(const char *map, guint64 len, ScanState *st, guint64 stop,
              GArray *msgs, GStringChunk *strings)
{
    guint64 pos = st->pos;
    while (pos < stop && pos < len) {
        StoreMessage m = { 0 };
        Span h[H_COUNT] = { { 0 } };
        int cur = -1;
        guint64 line = pos + line_len(map, len, pos);
        guint64 from_line_end = line < len ? line + 1 : len;
        guint64 p = from_line_end, body = len;

        /* Header lines up to the first empty line. */
        while (p < len) {
            const char *lp = map + p;
            const char *nl = memchr(lp, '\n', len - p);
            guint64 e = nl ? (guint64)(nl - map) : len;
            gsize l = (gsize)(e - p);
            if (l > 0 && lp[l - 1] == '\r')
                l--;
            guint64 next = nl ? e + 1 : len;
            if (l == 0) {
                body = next;
                break;
            }
            if (lp[0] == ' ' || lp[0] == '\t') {
                if (cur >= 0)
                    h[cur].len = (gsize)(e - (guint64)(h[cur].v - map));
            } else {
                const char *colon = memchr(lp, ':', l < 80 ? l : 80);
                cur = -1;
                if (colon && colon > lp) {
                    const char *ne = colon;
                    while (ne > lp && (ne[-1] == ' ' || ne[-1] == '\t'))
                        ne--;
                    cur = header_id(lp, (gsize)(ne - lp));
                    if (cur >= 0 && h[cur].v)
                        cur = -1;        /* first occurrence wins */
                    if (cur >= 0) {
                        h[cur].v = colon + 1;
                        h[cur].len = (gsize)(map + e - (colon + 1));
                    }
                }
            }
            p = next;
        }

        guint64 next = body >= len ? len : find_next(map, len, body, h[H_CONTENT_LENGTH]);
        m.offset = pos;
        m.length = next - pos;
        m.size = next - from_line_end;
        fill_message(&m, h, strings);
        if (!m.has_attachments && next > body &&
            !(h[H_CONTENT_TYPE].v && span_starts(h[H_CONTENT_TYPE], "multipart/")))
            m.has_attachments = has_uuencode(map, body - 1, next);
        g_array_append_val(msgs, m);
        pos = next;

        /* Drop pages already scanned so a big folder does not sit in our
         * RSS. */
        if (pos - st->released >= 2 * (guint64)RELEASE_CHUNK) {
            madvise((void *)(map + st->released), RELEASE_CHUNK, MADV_DONTNEED);
            st->released += RELEASE_CHUNK;
        }
    }
    st->pos = pos;
}

/* Folders smaller than this are scanned by one thread. */
#define SPLIT_MIN (8u << 20)
static guint64 split_min = SPLIT_MIN;

void
store_scan_set_split_min(guint64 bytes)
{
    split_min = bytes ? bytes : SPLIT_MIN;
}

/* The first separator at or after FROM (0: none). */
static guint64
find_split(const char *map, guint64 len, guint64 from)
{
    if (from >= len)
        return 0;
    if (store_is_separator(map, len, from))
        return from;
    guint64 p = from;
    while (p < len) {
        const char *hit = memmem(map + p, (gsize)(len - p), "\nFrom ", 6);
        if (!hit)
            return 0;
        guint64 s = (guint64)(hit - map) + 1;
        if (store_is_separator(map, len, s))
            return s;
        p = s;
    }
    return 0;
}

typedef struct {
    const char *map;
    guint64 len;
    ScanState st;
    GArray *msgs;
    GStringChunk *strings;
} Half;

static gpointer
scan_half(gpointer data)
{
    Half *h = data;
    scan_messages(h->map, h->len, &h->st, h->len, h->msgs, h->strings);
    return NULL;
}

/* Index of the message at OFFSET in MSGS (sorted by offset), or -1. */
static gint64
find_offset(GArray *msgs, guint64 offset)
{
    guint lo = 0, hi = msgs->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        guint64 o = g_array_index(msgs, StoreMessage, mid).offset;
        if (o == offset)
            return mid;
        if (o < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Scan from ST->pos to the end in two threads: this one up to SPLIT (a
 * separator), a second one from SPLIT on, with its own strings.  The
 * second half is taken from the first message this thread reaches that
 * the second one also found: at SPLIT itself, unless a message of the
 * first half runs past it (a Content-Length over a false separator);
 * then this thread goes on message by message until the two meet, or to
 * the end.  The result is the one-thread scan's, message for message. */
static void
scan_split(const char *map, guint64 len, ScanState *st, guint64 split,
           GArray *msgs, GStringChunk *strings, GPtrArray *blobs)
{
    mime_init();           /* once, before any thread decodes */
    Half h = { map, len, { split, split & ~(guint64)(RELEASE_CHUNK - 1) },
               g_array_new(FALSE, FALSE, sizeof(StoreMessage)),
               g_string_chunk_new(64 * 1024) };
    GThread *t = g_thread_try_new("postie-scan", scan_half, &h, NULL);
    if (!t) {
        scan_messages(map, len, st, len, msgs, strings);
    } else {
        scan_messages(map, len, st, split, msgs, strings);
        g_thread_join(t);
        gint64 k;
        while ((k = find_offset(h.msgs, st->pos)) < 0 && st->pos < len)
            scan_messages(map, len, st, st->pos + 1, msgs, strings);
        if (k >= 0 && (guint)k < h.msgs->len) {
            g_array_append_vals(msgs, &g_array_index(h.msgs, StoreMessage, k),
                                h.msgs->len - (guint)k);
            StoreBlob blob = { NULL, 0, g_steal_pointer(&h.strings) };
            g_ptr_array_add(blobs, g_memdup2(&blob, sizeof blob));
        }
    }
    g_array_free(h.msgs, TRUE);
    if (h.strings)
        g_string_chunk_free(h.strings);
}

gboolean
store_scan_split_at(const char *map, guint64 len, guint64 start, guint64 split,
                    GArray *msgs, GStringChunk *strings, GPtrArray *blobs,
                    const char *path, GError **error)
{
    guint64 pos = start;
    if (pos == 0) {
        /* Tolerate blank lines before the first separator. */
        while (pos < len && (map[pos] == '\n' || map[pos] == '\r'))
            pos++;
        if (pos == len)
            return TRUE;
        gsize l = line_len(map, len, pos);
        if (l < 5 || memcmp(map + pos, "From ", 5) != 0 ||
            !store_from_line_plausible(map + pos + 5, l - 5)) {
            g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                        _("%s is not an mbox folder: it does not start with a \"From \" line"),
                        path);
            return FALSE;
        }
    } else if (!store_is_separator(map, len, pos)) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s: no message starts at offset %" G_GUINT64_FORMAT),
                    path, pos);
        return FALSE;
    }

    ScanState st = { pos, pos & ~(guint64)(RELEASE_CHUNK - 1) };
    guint64 at = split > pos ? find_split(map, len, split) : 0;
    if (at > pos)
        scan_split(map, len, &st, at, msgs, strings, blobs);
    else
        scan_messages(map, len, &st, len, msgs, strings);
    return TRUE;
}

gboolean
store_scan(const char *map, guint64 len, guint64 start, GArray *msgs,
           GStringChunk *strings, GPtrArray *blobs, const char *path,
           GError **error)
{
    /* Both cores for a big folder: split near the middle. */
    guint64 split = len > start && len - start >= split_min ?
                    start + (len - start) / 2 : 0;
    return store_scan_split_at(map, len, start, split, msgs, strings, blobs,
                               path, error);
}
