/* TNEF (winmail.dat, application/ms-tnef): the files an Exchange or
 * Outlook sender packed into it, so they can be listed and saved like any
 * other attachment.  Only what that needs is read (MS-OXTNEF): the
 * attachment attributes attAttachRenddata (starts one), attAttachTitle
 * (8-bit name), attAttachData (content) and attAttachment (MAPI
 * properties: the long file name, and the content when attAttachData is
 * missing).  Everything is bounds-checked; the input is hostile. */
#include <config.h>

#include <string.h>

#include "mime/private.h"

#define TNEF_SIGNATURE 0x223E9F78u
#define TNEF_MAX_FILES 1024

/* Attribute ids (low 16 bits of the attribute). */
enum {
    ATT_ATTACH_DATA = 0x800F,
    ATT_ATTACH_TITLE = 0x8010,
    ATT_ATTACH_RENDDATA = 0x9002,
    ATT_ATTACHMENT = 0x9005,
    ATT_OEM_CODEPAGE = 0x9007,
};

/* MAPI property types and ids. */
enum {
    PT_SHORT = 0x0002, PT_LONG = 0x0003, PT_FLOAT = 0x0004, PT_DOUBLE = 0x0005,
    PT_CURRENCY = 0x0006, PT_APPTIME = 0x0007, PT_ERROR = 0x000A, PT_BOOLEAN = 0x000B,
    PT_OBJECT = 0x000D, PT_I8 = 0x0014, PT_STRING8 = 0x001E, PT_UNICODE = 0x001F,
    PT_SYSTIME = 0x0040, PT_CLSID = 0x0048, PT_BINARY = 0x0102, PT_MV = 0x1000,
    PR_ATTACH_DATA = 0x3701, PR_ATTACH_FILENAME = 0x3704, PR_ATTACH_LONG_FILENAME = 0x3707,
};

typedef struct {
    const guint8 *p, *end;
} Reader;

static gboolean
take(Reader *r, gsize n, const guint8 **out)
{
    if ((gsize)(r->end - r->p) < n)
        return FALSE;
    if (out)
        *out = r->p;
    r->p += n;
    return TRUE;
}

static gboolean
u16(Reader *r, guint *v)
{
    const guint8 *b;
    if (!take(r, 2, &b))
        return FALSE;
    *v = (guint)b[0] | (guint)b[1] << 8;
    return TRUE;
}

static gboolean
u32(Reader *r, guint32 *v)
{
    const guint8 *b;
    if (!take(r, 4, &b))
        return FALSE;
    *v = (guint32)b[0] | (guint32)b[1] << 8 | (guint32)b[2] << 16 | (guint32)b[3] << 24;
    return TRUE;
}

typedef struct {
    char *title;          /* attAttachTitle, UTF-8 */
    char *long_name;      /* PR_ATTACH_LONG_FILENAME, UTF-8 */
    char *short_name;     /* PR_ATTACH_FILENAME, UTF-8 */
    GBytes *data;         /* attAttachData */
    GBytes *mapi_data;    /* PR_ATTACH_DATA (binary) */
} Pending;

static void
pending_clear(Pending *f)
{
    g_free(f->title);
    g_free(f->long_name);
    g_free(f->short_name);
    if (f->data)
        g_bytes_unref(f->data);
    if (f->mapi_data)
        g_bytes_unref(f->mapi_data);
    memset(f, 0, sizeof *f);
}

void
mime_tnef_file_free(MimeTnefFile *f)
{
    if (!f)
        return;
    g_free(f->name);
    if (f->data)
        g_bytes_unref(f->data);
    g_free(f);
}

/* 8-bit text up to its NUL in the sender's code page. */
static char *
string8(const guint8 *b, gsize len, const char *codepage)
{
    const guint8 *nul = memchr(b, 0, len);
    gsize n = nul ? (gsize)(nul - b) : len;
    return mime_charset_to_utf8((const char *)b, n, codepage);
}

/* UTF-16LE text up to its NUL. */
static char *
string16(const guint8 *b, gsize len)
{
    gsize units = len / 2;
    gunichar2 *u = g_new(gunichar2, units + 1);
    gsize n = 0;
    for (; n < units; n++) {
        u[n] = (gunichar2)(b[2 * n] | b[2 * n + 1] << 8);
        if (u[n] == 0)
            break;
    }
    /* Lone surrogates: keep what converts. */
    char *s = g_utf16_to_utf8(u, (glong)n, NULL, NULL, NULL);
    if (!s) {
        GString *out = g_string_new(NULL);
        for (gsize i = 0; i < n; i++)
            g_string_append_unichar(out, u[i] >= 0xD800 && u[i] < 0xE000 ? 0xFFFD : u[i]);
        s = g_string_free(out, FALSE);
    }
    g_free(u);
    return s;
}

static gsize
pad4(gsize n)
{
    return (n + 3) & ~(gsize)3;
}

/* The MAPI property list of an attAttachment attribute (MS-OXTNEF
 * 2.1.3.4).  Reads until the end or the first thing it cannot read. */
static void
read_mapi(const guint8 *data, gsize len, Pending *f, const char *codepage)
{
    Reader r = { data, data + len };
    guint32 count = 0;
    if (!u32(&r, &count))
        return;
    for (guint32 i = 0; i < count; i++) {
        guint type = 0, id = 0;
        if (!u16(&r, &type) || !u16(&r, &id))
            return;
        if (id >= 0x8000) {
            /* A named property: GUID, kind, then a number or a name. */
            guint32 kind = 0, v = 0;
            if (!take(&r, 16, NULL) || !u32(&r, &kind) || !u32(&r, &v))
                return;
            if (kind == 1 && !take(&r, pad4(v), NULL))
                return;
        }
        gboolean multi = (type & PT_MV) != 0;
        guint base = type & ~(guint)PT_MV;
        guint32 values = 1;
        gboolean variable = base == PT_STRING8 || base == PT_UNICODE || base == PT_BINARY ||
                            base == PT_OBJECT;
        if ((multi || variable) && !u32(&r, &values))
            return;
        if (values > len)
            return;
        for (guint32 k = 0; k < values; k++) {
            if (variable) {
                guint32 vlen = 0;
                const guint8 *v = NULL;
                if (!u32(&r, &vlen) || !take(&r, vlen, &v) || !take(&r, pad4(vlen) - vlen, NULL))
                    return;
                if (k > 0 || multi)
                    continue;
                char **slot = id == PR_ATTACH_LONG_FILENAME ? &f->long_name
                              : id == PR_ATTACH_FILENAME    ? &f->short_name
                                                            : NULL;
                if (slot && !*slot && (base == PT_STRING8 || base == PT_UNICODE))
                    *slot = base == PT_UNICODE ? string16(v, vlen) : string8(v, vlen, codepage);
                else if (id == PR_ATTACH_DATA && base == PT_BINARY && !f->mapi_data)
                    f->mapi_data = g_bytes_new(v, vlen);
                continue;
            }
            gsize size;
            switch (base) {
            case PT_SHORT: case PT_BOOLEAN: case PT_LONG: case PT_FLOAT: case PT_ERROR:
                size = 4;
                break;
            case PT_DOUBLE: case PT_CURRENCY: case PT_APPTIME: case PT_I8: case PT_SYSTIME:
                size = 8;
                break;
            case PT_CLSID:
                size = 16;
                break;
            default:
                return;   /* unknown type: its size is unknown, stop */
            }
            if (!take(&r, size, NULL))
                return;
        }
    }
}

static void
finish(GPtrArray *files, Pending *f)
{
    GBytes *data = f->data ? f->data : f->mapi_data;
    const char *name = f->long_name && *f->long_name   ? f->long_name
                       : f->title && *f->title          ? f->title
                       : f->short_name && *f->short_name ? f->short_name
                                                         : NULL;
    if ((data || name) && files->len < TNEF_MAX_FILES) {
        MimeTnefFile *out = g_new0(MimeTnefFile, 1);
        out->name = g_strdup(name);
        out->data = data ? g_bytes_ref(data) : g_bytes_new(NULL, 0);
        g_ptr_array_add(files, out);
    }
    pending_clear(f);
}

GPtrArray *
mime_tnef_files(const guint8 *data, gsize len, gboolean *damaged)
{
    *damaged = FALSE;
    if (!data)
        return NULL;
    Reader r = { data, data + len };
    guint32 sig = 0;
    guint key = 0;
    if (!u32(&r, &sig) || sig != TNEF_SIGNATURE || !u16(&r, &key))
        return NULL;
    GPtrArray *files = g_ptr_array_new_with_free_func((GDestroyNotify)mime_tnef_file_free);
    Pending f = { 0 };
    gboolean open = FALSE;
    g_autofree char *codepage = g_strdup("windows-1252");
    while (r.p < r.end) {
        const guint8 *level = NULL, *value = NULL;
        guint32 attr = 0, alen = 0;
        guint checksum = 0;
        if (!take(&r, 1, &level) || !u32(&r, &attr) || !u32(&r, &alen) ||
            !take(&r, alen, &value) || !u16(&r, &checksum)) {
            *damaged = TRUE;   /* cut short */
            break;
        }
        guint sum = 0;
        for (guint32 i = 0; i < alen; i++)
            sum += value[i];
        if ((sum & 0xFFFF) != checksum)
            *damaged = TRUE;
        guint id = attr & 0xFFFF;
        if (*level == 1 && id == ATT_OEM_CODEPAGE && alen >= 4) {
            guint32 cp = (guint32)value[0] | (guint32)value[1] << 8 | (guint32)value[2] << 16 |
                         (guint32)value[3] << 24;
            g_free(codepage);
            codepage = g_strdup_printf("CP%u", cp);
            continue;
        }
        if (*level != 2)
            continue;
        if (id == ATT_ATTACH_RENDDATA) {
            if (open)
                finish(files, &f);
            open = TRUE;
            continue;
        }
        open = TRUE;
        if (id == ATT_ATTACH_TITLE && !f.title)
            f.title = string8(value, alen, codepage);
        else if (id == ATT_ATTACH_DATA && !f.data)
            f.data = g_bytes_new(value, alen);
        else if (id == ATT_ATTACHMENT)
            read_mapi(value, alen, &f, codepage);
    }
    if (open)
        finish(files, &f);
    pending_clear(&f);
    return files;
}
