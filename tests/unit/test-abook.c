/* Unit tests for abook/: every reader with table-driven cases and the
 * files of tests/data/abook, the writer, search, completion, groups,
 * merging, use counts and a 2,000-contact import. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gmime/gmime.h>

#include "abook/private.h"
#include "util/util.h"

#define DATA(name) TEST_DATA_DIR "/abook/" name

/* ---- helpers ------------------------------------------------------------ */

/* One line per contact: [G:]FN|N|nicknames|emails|org|note|members|#extra */
static void
summarize_one(GString *s, const AbookContact *c)
{
    g_string_append_printf(s, "%s%s|%s;%s;%s;%s;%s|", c->is_group ? "G:" : "", c->fn,
                           c->family ? c->family : "", c->given ? c->given : "",
                           c->additional ? c->additional : "", c->prefix ? c->prefix : "",
                           c->suffix ? c->suffix : "");
    for (guint i = 0; i < c->nicknames->len; i++)
        g_string_append_printf(s, "%s%s", i ? "," : "", (char *)c->nicknames->pdata[i]);
    g_string_append_c(s, '|');
    for (guint i = 0; i < c->emails->len; i++) {
        const AbookEmail *e = c->emails->pdata[i];
        g_string_append_printf(s, "%s%s", i ? "," : "", e->address);
        if (e->type || e->pref)
            g_string_append_printf(s, "[%s/%d]", e->type ? e->type : "", e->pref);
    }
    g_autofree char *note = g_strdup(c->note ? c->note : "");
    g_strdelimit(note, "\n", '~');
    g_string_append_printf(s, "|%s|%s|", c->org ? c->org : "", note);
    for (guint i = 0; i < c->members->len; i++)
        g_string_append_printf(s, "%s%s", i ? "," : "", (char *)c->members->pdata[i]);
    g_string_append_printf(s, "|#%u\n", c->extra->len);
}

static char *
summarize(GPtrArray *contacts)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < contacts->len; i++)
        summarize_one(s, contacts->pdata[i]);
    return g_string_free(s, FALSE);
}

/* The line numbers of the problems, "3,7" (0 for file-wide notes). */
static char *
problem_lines(const AbookImportReport *r)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; r->problems && i < r->problems->len; i++) {
        const char *p = r->problems->pdata[i];
        const char *colon = strchr(p, ':');
        guint line = 0;
        if (colon && g_ascii_isdigit(colon[1]))
            line = (guint)g_ascii_strtoull(colon + 1, NULL, 10);
        g_string_append_printf(s, "%s%u", s->len ? "," : "", line);
    }
    return g_string_free(s, FALSE);
}

typedef struct {
    const char *what;
    AbookFormat format;
    const char *input;
    const char *expect;      /* summary, or NULL when parsing must fail */
    const char *problems;    /* line numbers */
} ParseCase;

static void
run_cases(const ParseCase *cases, gsize n)
{
    for (gsize i = 0; i < n; i++) {
        const ParseCase *pc = &cases[i];
        AbookImportReport rep = { 0 };
        g_autoptr(GError) error = NULL;
        g_test_message("case: %s", pc->what);
        g_autoptr(GPtrArray) got = abook_parse(pc->input, strlen(pc->input), "in",
                                               pc->format, &rep, &error);
        if (!pc->expect) {
            g_assert_null(got);
            g_assert_nonnull(error);
        } else {
            g_assert_no_error(error);
            g_autofree char *sum = summarize(got);
            g_assert_cmpstr(sum, ==, pc->expect);
        }
        g_autofree char *lines = problem_lines(&rep);
        g_assert_cmpstr(lines, ==, pc->problems);
        abook_import_report_clear(&rep);
    }
}

/* ---- vCard -------------------------------------------------------------- */

static const ParseCase vcard_cases[] = {
    { "folded with space and tab", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Fol\r\n ded\r\n\tName\r\nEMAIL:a@b.example\r\nEND:VCARD\r\n",
      "FoldedName|;;;;||a@b.example||||#0\n", "" },
    { "escapes in text", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nFN:X\nNOTE:a\\nb\\,c\\;d\\\\e\\Nf\nEND:VCARD\n",
      "X|;;;;||||a~b,c;d\\e~f||#0\n", "" },
    { "2.1 backslash that is no escape survives", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nVERSION:2.1\nFN:Y\nNOTE:C:\\dir\\file\nEND:VCARD\n",
      "Y|;;;;||||C:\\dir\\file||#0\n", "" },
    { "quoted parameter holding : and ;", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nFN:Q\nEMAIL;X-LABEL=\"a:b;c\";TYPE=\"work,home\";PREF=3:q@x.example\nEND:VCARD\n",
      "Q|;;;;||q@x.example[work,home/3]||||#0\n", "" },
    { "structured N, nicknames with an escaped comma", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nFN:Dr. A B C Jr.\nN:C;A;B;Dr.;Jr.\nNICKNAME:one,t\\,wo\nNICKNAME:three\nEND:VCARD\n",
      "Dr. A B C Jr.|C;A;B;Dr.;Jr.|one,t,wo,three|||||#0\n", "" },
    { "FN made from N when missing", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nN:Lovelace;Ada;;;\nEMAIL:ada@x.example\nEND:VCARD\n",
      "Ada Lovelace|Lovelace;Ada;;;||ada@x.example||||#0\n", "" },
    { "3.0 TYPE=pref and INTERNET", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nVERSION:3.0\nFN:T\nEMAIL;TYPE=INTERNET,WORK;TYPE=pref:t@x.example\nEND:VCARD\n",
      "T|;;;;||t@x.example[work/1]||||#0\n", "" },
    { "2.1 bare parameters", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nVERSION:2.1\nFN:U\nEMAIL;INTERNET;HOME;PREF:u@x.example\nTEL;CELL:123\nEND:VCARD\n",
      "U|;;;;||u@x.example[home/1]||||#1\n", "" },
    { "mailto: in EMAIL", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nFN:M\nEMAIL:mailto:m@x.example\nEND:VCARD\n",
      "M|;;;;||m@x.example||||#0\n", "" },
    { "quoted-printable soft break splitting a UTF-8 character", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Ren=C3=\n=A9 Char=\nlebois\nEND:VCARD\n",
      "Ren\xc3\xa9 Charlebois|;;;;||||||#0\n", "" },
    { "quoted-printable ISO-8859-1, bare QUOTED-PRINTABLE", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:G=F6del\nEND:VCARD\n",
      "G\xc3\xb6" "del|;;;;||||||#0\n", "" },
    { "empty quoted-printable value (found by the fuzzer)", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nFN:E\nNOTE;ENCODING=QUOTED-PRINTABLE:\nEND:VCARD\n",
      "E|;;;;||||||#0\n", "" },
    { "8-bit value in a CHARSET", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=ISO-8859-1:Gr\xfc\xdf" "e\nEND:VCARD\n",
      "Gr\xc3\xbc\xc3\x9f" "e|;;;;||||||#0\n", "" },
    { "invalid UTF-8 without CHARSET read as windows-1252", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nFN:Caf\xe9\nEND:VCARD\n",
      "Caf\xc3\xa9|;;;;||||||#0\n", "" },
    { "base64 kept, not decoded", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nVERSION:3.0\nFN:P\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\n SkZJRg==\nEND:VCARD\n",
      "P|;;;;||||||#1\n", "" },
    { "unknown property with a group kept", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nFN:K\nitem1.X-ABLabel:Other\nX-CUSTOM;X-A=1:v\nEND:VCARD\n",
      "K|;;;;||||||#2\n", "" },
    { "group with members", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nVERSION:4.0\nKIND:group\nFN:G\nMEMBER:mailto:a@x.example\nMEMBER:urn:uuid:1\nEND:VCARD\n",
      "G:G|;;;;|||||mailto:a@x.example,urn:uuid:1|#0\n", "" },
    { "KIND:org kept as unknown", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nKIND:org\nFN:Acme\nEND:VCARD\n",
      "Acme|;;;;||||||#1\n", "" },
    { "invalid address kept as unknown, reported", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nFN:Bad\nEMAIL:nobody\nEND:VCARD\n",
      "Bad|;;;;||||||#1\n", "3" },
    { "line without a colon, continuation at the start", ABOOK_FORMAT_VCARD,
      " stray\nBEGIN:VCARD\nFN:F\nbroken line\nEMAIL:f@x.example\nEND:VCARD\n",
      "Fbroken line|;;;;||f@x.example||||#0\n", "1,4" },
    { "2.1 base64 continued without indentation", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nVERSION:2.1\nFN:B\nPHOTO;ENCODING=BASE64:AAAA\nBBBB\nCCCC\n\nEND:VCARD\n",
      "B|;;;;||||||#1\n", "5" },
    { "missing END:VCARD, property outside, END alone", ABOOK_FORMAT_VCARD,
      "TEL:1\nEND:VCARD\nBEGIN:VCARD\nFN:E\n",
      "E|;;;;||||||#0\n", "1,2,3" },
    { "nested AGENT card skipped", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nFN:Boss\nAGENT:\nBEGIN:VCARD\nFN:Agent\nEND:VCARD\nEMAIL:boss@x.example\nEND:VCARD\n",
      "Boss|;;;;||boss@x.example||||#1\n", "4" },
    { "card with no name or address skipped", ABOOK_FORMAT_VCARD,
      "BEGIN:VCARD\nNOTE:n\nEND:VCARD\nBEGIN:VCARD\nFN:Z\nEND:VCARD\n",
      "Z|;;;;||||||#0\n", "1" },
    { "no vCard at all", ABOOK_FORMAT_VCARD, "hello\n", NULL, "1" },
    { "only broken cards", ABOOK_FORMAT_VCARD, "BEGIN:VCARD\nNOTE:x\nEND:VCARD\n", NULL, "1" },
};

static void
test_vcard_cases(void)
{
    run_cases(vcard_cases, G_N_ELEMENTS(vcard_cases));
}

/* ---- CSV ---------------------------------------------------------------- */

typedef struct {
    const char *in;
    const char *records;     /* fields joined with '|', records with '\n' */
    gboolean unterminated;
} CsvCase;

static const CsvCase csv_records[] = {
    { "a,b,c\n1,2,3\n", "a|b|c\n1|2|3\n", FALSE },
    { "a,b\r\n1,2", "a|b\n1|2\n", FALSE },
    { "\"x, y\",\"say \"\"hi\"\"\"\n", "x, y|say \"hi\"\n", FALSE },
    { "\"multi\r\nline\",z\n", "multi\nline|z\n", FALSE },
    { "a,,\n", "a||\n", FALSE },
    { "a,", "a|\n", FALSE },
    { ",\n\n", "|\n\n", FALSE },
    { "\"open,x\n", "", TRUE },
    { "\"q\"tail,x\n", "qtail|x\n", FALSE },
};

static void
test_csv_records(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(csv_records); i++) {
        const CsvCase *cc = &csv_records[i];
        const char *p = cc->in, *end = p + strlen(p);
        g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func(g_free);
        GString *s = g_string_new(NULL);
        guint line = 1;
        gboolean unterminated = FALSE;
        while (abook_csv_next_record(&p, end, ',', fields, &line, &unterminated)) {
            for (guint k = 0; k < fields->len; k++)
                g_string_append_printf(s, "%s%s", k ? "|" : "", (char *)fields->pdata[k]);
            g_string_append_c(s, '\n');
        }
        g_assert_cmpstr(s->str, ==, cc->records);
        g_assert_cmpint(unterminated, ==, cc->unterminated);
        g_string_free(s, TRUE);
    }
}

static const ParseCase csv_cases[] = {
    { "generic columns, quoted comma", ABOOK_FORMAT_CSV,
      "Name,E-mail\n\"Doe, Jane\",jane@x.example\n",
      "Doe, Jane|;;;;||jane@x.example||||#0\n", "" },
    { "semicolon separated", ABOOK_FORMAT_CSV,
      "First Name;Last Name;E-mail Address\nAda;Lovelace;ada@x.example\n",
      "Ada Lovelace|Lovelace;Ada;;;||ada@x.example||||#0\n", "" },
    { "tab separated", ABOOK_FORMAT_CSV,
      "Display Name\tPrimary Email\nTab Person\ttab@x.example\n",
      "Tab Person|;;;;||tab@x.example||||#0\n", "" },
    { "Google multi-values and preferred label", ABOOK_FORMAT_CSV,
      "Name,E-mail 1 - Type,E-mail 1 - Value\nG,* Home,g1@x.example ::: g2@x.example\n",
      "G|;;;;||g1@x.example[home/1],g2@x.example[home/1]||||#0\n", "" },
    { "bad address reported with its line", ABOOK_FORMAT_CSV,
      "Name,Email\nA,a@x.example\nB,not-an-address\n",
      "A|;;;;||a@x.example||||#0\nB|;;;;||||||#0\n", "3" },
    { "row with nothing usable", ABOOK_FORMAT_CSV,
      "Name,Email,Phone\n,,123\n", NULL, "2,1" },
    { "extra fields reported", ABOOK_FORMAT_CSV,
      "Name,Email\nA,a@x.example,surplus\n",
      "A|;;;;||a@x.example||||#0\n", "2" },
    { "unterminated quote fails the whole file", ABOOK_FORMAT_CSV,
      "Name,Email\nA,a@x.example\n\"B,b@x.example\n", NULL, "" },
    { "no usable column", ABOOK_FORMAT_CSV, "Phone,Fax\n1,2\n", NULL, "" },
    { "groups column makes groups", ABOOK_FORMAT_CSV,
      "Name,Email,Groups\nA,a@x.example,Team ::: Family\nB,b@x.example,Team\n",
      "A|;;;;||a@x.example||||#0\nG:Team|;;;;|||||mailto:a@x.example,mailto:b@x.example|#0\n"
      "G:Family|;;;;|||||mailto:a@x.example|#0\nB|;;;;||b@x.example||||#0\n", "" },
    { "UTF-8 BOM before the header", ABOOK_FORMAT_CSV,
      "\xef\xbb\xbfName,Email\nBom,bom@x.example\n",
      "Bom|;;;;||bom@x.example||||#0\n", "" },
};

static void
test_csv_cases(void)
{
    run_cases(csv_cases, G_N_ELEMENTS(csv_cases));
}

static void
test_csv_utf16(void)
{
    /* Outlook's "Unicode" CSV: UTF-16LE with a byte order mark. */
    const char *text = "Name,Email\nW\xc3\xbc,w@x.example\n";
    gsize n = 0;
    g_autofree char *u16 = g_convert(text, -1, "UTF-16LE", "UTF-8", NULL, &n, NULL);
    g_autofree char *data = g_malloc(n + 2);
    data[0] = (char)0xFF;
    data[1] = (char)0xFE;
    memcpy(data + 2, u16, n);
    AbookImportReport rep = { 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) got = abook_parse(data, n + 2, "u16.csv", ABOOK_FORMAT_AUTO, &rep, &error);
    g_assert_no_error(error);
    g_autofree char *sum = summarize(got);
    g_assert_cmpstr(sum, ==, "W\xc3\xbc|;;;;||w@x.example||||#0\n");
    g_assert_nonnull(rep.note);
    abook_import_report_clear(&rep);
}

/* ---- mutt and LDIF ------------------------------------------------------ */

static const ParseCase mutt_cases[] = {
    { "plain alias", ABOOK_FORMAT_MUTT, "alias jd Jane Doe <jane@x.example>\n",
      "Jane Doe|;;;;|jd|jane@x.example||||#0\n", "" },
    { "quoted name with a comma, trailing comment", ABOOK_FORMAT_MUTT,
      "alias bob \"Smith, Bob\" <bob@x.example> # work\n",
      "Smith, Bob|;;;;|bob|bob@x.example||||#0\n", "" },
    { "address then comment form", ABOOK_FORMAT_MUTT,
      "alias c c@x.example (Carl C)\n",
      "Carl C|;;;;|c|c@x.example||||#0\n", "" },
    { "several addresses make a group, continued line", ABOOK_FORMAT_MUTT,
      "alias team a@x.example, \\\n Bee <b@x.example>\n",
      "G:team|;;;;|||||mailto:a@x.example,mailto:b@x.example|#0\nBee|;;;;||b@x.example||||#0\n", "" },
    { "-group tags", ABOOK_FORMAT_MUTT,
      "alias -group friends -group local d Dee <d@x.example>\n",
      "Dee|;;;;|d|d@x.example||||#0\nG:friends|;;;;|||||mailto:d@x.example|#0\n"
      "G:local|;;;;|||||mailto:d@x.example|#0\n", "" },
    { "other commands and broken aliases reported", ABOOK_FORMAT_MUTT,
      "# comment\nset x=1\nalias\nalias e\nalias f f@x.example\n",
      "f|;;;;|f|f@x.example||||#0\n", "2,3,4" },
    { "nothing usable", ABOOK_FORMAT_MUTT, "set a=b\n", NULL, "1" },
};

static void
test_mutt_cases(void)
{
    run_cases(mutt_cases, G_N_ELEMENTS(mutt_cases));
}

static const ParseCase ldif_cases[] = {
    { "plain entry", ABOOK_FORMAT_LDIF,
      "dn: cn=A B,mail=a@x.example\ncn: A B\ngivenName: A\nsn: B\nmail: a@x.example\n",
      "A B|B;A;;;||a@x.example||||#0\n", "" },
    { "base64 value and folded line", ABOOK_FORMAT_LDIF,
      "dn: cn=x\ncn:: w4Vz YQ==\nmail: long@\n exam\n ple.org\n",
      "\xc3\x85sa|;;;;||long@example.org||||#0\n", "" },
    { "base64 that is not UTF-8", ABOOK_FORMAT_LDIF,
      "dn: cn=x\ncn:: 6Q==\nmail: e@x.example\n",
      "\xc3\xa9|;;;;||e@x.example||||#0\n", "2" },
    { "two records, CRLF, second email and nickname", ABOOK_FORMAT_LDIF,
      "version: 1\r\n\r\ndn: cn=A\r\ncn: A\r\nmail: a@x.example\r\nmozillaSecondEmail: a2@x.example\r\n"
      "mozillaNickname: aa\r\n\r\ndn: cn=B\r\ncn: B\r\n",
      "A|;;;;|aa|a@x.example,a2@x.example||||#0\nB|;;;;||||||#0\n", "" },
    { "mailing list", ABOOK_FORMAT_LDIF,
      "dn: cn=L\nobjectclass: groupOfNames\ncn: L\nmember: cn=A,mail=a@x.example\n",
      "G:L|;;;;|||||mailto:a@x.example|#0\n", "" },
    { "URL value and broken line reported", ABOOK_FORMAT_LDIF,
      "dn: cn=U\ncn: U\njpegPhoto:< file:///etc/passwd\nnonsense\n",
      "U|;;;;||||||#0\n", "3,4" },
};

static void
test_ldif_cases(void)
{
    run_cases(ldif_cases, G_N_ELEMENTS(ldif_cases));
}

/* ---- the files of tests/data/abook -------------------------------------- */

typedef struct {
    const char *file;
    AbookFormat expect_format;
    const char *expect;
    const char *problems;
    gboolean note;           /* a charset note is expected */
} FileCase;

static const FileCase file_cases[] = {
    { "contacts-40.vcf", ABOOK_FORMAT_VCARD,
      "Jos\xc3\xa9 \xc3\x81lvarez|\xc3\x81lvarez;Jos\xc3\xa9;Mar\xc3\xad" "a;Dr.;PhD|Pepe,Jo,se|"
      "jose@work.example[work/1],jose.alvarez@home.example[home/0]|Example Corp;Research|"
      "First line~second, with comma; and semicolon\\backslash||#4\n"
      "Anna Smith|Smith;Anna;;;||anna@example.org||This note is long enough that a writer has to "
      "fold it over several lines, and a reader has to unfold it again without losing any characters.||#0\n"
      "G:Book Club|;;;;|||||urn:uuid:0b7c1f5e-1111-4a4e-9c55-000000000001,mailto:anna@example.org,"
      "mailto:guest@outside.example|#0\n", "", FALSE },
    { "contacts-21.vcf", ABOOK_FORMAT_VCARD,
      "J\xc3\xbcrgen M\xc3\xbcller|M\xc3\xbcller;J\xc3\xbcrgen;;;||juergen@example.de[/1],"
      "jm@firma.example[work/0]||Erste Zeile~zweite Zeile, die sehr lang ist und mit einem "
      "weichen Zeilenumbruch weitergeht.||#3\n", "15", FALSE },
    { "contacts-30.vcf", ABOOK_FORMAT_VCARD,
      "S\xc3\xa9" "an O'Brien|O'Brien;S\xc3\xa9" "an;;;|Shay|sean@pub.example[work/1],"
      "SEAN@home.example[home/0]|Pub, Inc.|||#1\n"
      "G:Friends|Friends;;;;|||||urn:uuid:5e4a7a4b-3333-4444-5555-666666666666|#0\n", "", FALSE },
    { "broken.vcf", ABOOK_FORMAT_VCARD,
      "Good Before|;;;;||good.before@example.org||a line folded withoutthe leading space||#1\n"
      "Bad;Name:Chars|;;;;||after.bad@example.org||||#0\n"
      "Never Ended|;;;;||never.ended@example.org||||#0\n", "1,7,8,10,11,18,21", FALSE },
    { "aliases.mutt", ABOOK_FORMAT_MUTT,
      "Jane Doe|;;;;|jane|jane@example.org||||#0\n"
      "Smith, Bob|;;;;|bob|bob@work.example||||#0\n"
      "G:work|;;;;|||||mailto:bob@work.example|#0\n"
      "G:team|;;;;|||||mailto:jane@example.org,mailto:carol@example.org,mailto:dave@example.org|#0\n"
      "Carol Jones|;;;;||carol@example.org||||#0\n"
      "bare|;;;;|bare|someone@example.net||||#0\n", "7,8,8,9", FALSE },
    { "thunderbird.csv", ABOOK_FORMAT_CSV,
      "Tom Baker|Baker;Tom;;;|doc|tom@tardis.example,tom.baker@bbc.example|BBC|"
      "Says \"hello\", often~and twice||#0\n"
      "Sarah Smith|Smith;Sarah;;;||sarah@example.com||||#0\n"
      "Nobody Address|;Nobody;;;||||||#0\n", "6,1", FALSE },
    { "outlook.csv", ABOOK_FORMAT_CSV,
      "Dr. Ada Lovelace|Lovelace;Ada;;Dr.;||ada@engines.example,countess@engines.example|"
      "Analytical Engines;Research|First; second||#0\n"
      "G:Math|;;;;|||||mailto:ada@engines.example,mailto:charles@engines.example|#0\n"
      "Charles Babbage|Babbage;Charles;;;||charles@engines.example|Analytical Engines|||#0\n", "1", FALSE },
    { "google.csv", ABOOK_FORMAT_CSV,
      "Rear Admiral Grace Brewster Hopper|Hopper;Grace;Brewster;Rear Admiral;|Amazing Grace|"
      "grace@navy.example[work/1],hopper@navy.example[work/1],grace@home.example[home/0]|US Navy|||#0\n"
      "G:Navy|;;;;|||||mailto:grace@navy.example,mailto:alan@bletchley.example|#0\n"
      "Alan Turing|Turing;Alan;;;||alan@bletchley.example||||#0\n", "1", FALSE },
    { "cp1252.csv", ABOOK_FORMAT_CSV,
      "Ren\xc3\xa9 L\xc3\xa9vesque|;;;;||rene@example.ca||costs 5 \xe2\x82\xac||#0\n", "", TRUE },
    { "thunderbird.ldif", ABOOK_FORMAT_LDIF,
      "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m|\xc3\x85ngstr\xc3\xb6m;Zo\xc3\xab;;;|zo|zoe@example.se,"
      "zoe.angstrom@uni.example||Line one~Line two||#0\n"
      "Plain Person|;;;;||plain@example.org|Plain Org|||#0\n"
      "G:Swedes|;;;;|||||mailto:zoe@example.se,mailto:plain@example.org|#0\n"
      "Broken Line|;;;;||broken.line@example.org||||#0\n", "33,36,25,0", FALSE },
};

static void
test_files(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(file_cases); i++) {
        const FileCase *fc = &file_cases[i];
        g_autofree char *path = g_build_filename(TEST_DATA_DIR, "abook", fc->file, NULL);
        g_autofree char *data = NULL;
        gsize len = 0;
        g_test_message("file: %s", fc->file);
        g_assert_true(g_file_get_contents(path, &data, &len, NULL));
        g_assert_cmpint(abook_format_detect(data, len, path), ==, fc->expect_format);
        AbookImportReport rep = { 0 };
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) got = abook_parse(data, len, fc->file, ABOOK_FORMAT_AUTO, &rep, &error);
        g_assert_no_error(error);
        g_autofree char *sum = summarize(got);
        g_assert_cmpstr(sum, ==, fc->expect);
        g_autofree char *lines = problem_lines(&rep);
        g_assert_cmpstr(lines, ==, fc->problems);
        g_assert_cmpint(rep.note != NULL, ==, fc->note);
        abook_import_report_clear(&rep);
    }
}

/* A fresh book in a temporary directory. */
static Abook *
temp_book(char **dir_out)
{
    char *dir = g_dir_make_tmp("postie-abook-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "contacts.vcf", NULL);
    g_autofree char *used = g_build_filename(dir, "state", "abook-used", NULL);
    *dir_out = dir;
    return abook_new(path, used);
}

static void
rm_rf(const char *dir)
{
    g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
    g_assert_cmpint(system(cmd), ==, 0);
}

static void
import_file(Abook *ab, const char *file)
{
    AbookImportReport rep = { 0 };
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_build_filename(TEST_DATA_DIR, "abook", file, NULL);
    g_assert_true(abook_import_file(ab, path, ABOOK_FORMAT_AUTO, &rep, &error));
    g_assert_no_error(error);
    abook_import_report_clear(&rep);
}

/* ---- writing and reading back ------------------------------------------- */

static void
test_round_trip(void)
{
    g_autofree char *dir = NULL;
    g_autoptr(Abook) ab = temp_book(&dir);
    const char *files[] = { "contacts-40.vcf", "contacts-21.vcf", "contacts-30.vcf",
                            "aliases.mutt", "thunderbird.csv", "google.csv",
                            "thunderbird.ldif" };
    for (gsize i = 0; i < G_N_ELEMENTS(files); i++)
        import_file(ab, files[i]);
    g_autoptr(GError) error = NULL;
    g_assert_true(abook_save(ab, &error));
    g_assert_no_error(error);

    struct stat st;
    g_assert_cmpint(stat(abook_path(ab), &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);

    /* Every physical line at most 75 octets, CRLF, valid UTF-8 (folding
     * never splits a character). */
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(abook_path(ab), &text, NULL, NULL));
    g_assert_true(g_utf8_validate(text, -1, NULL));
    g_auto(GStrv) lines = g_strsplit(text, "\r\n", -1);
    for (int i = 0; lines[i]; i++) {
        g_assert_cmpuint(strlen(lines[i]), <=, 75);
        g_assert_null(strchr(lines[i], '\n'));
    }
    /* Unknown properties came back. */
    g_assert_nonnull(strstr(text, "\r\nTEL;VALUE=uri;TYPE=\"voice,cell\":tel:+1-555-555-0100\r\n"));
    g_assert_nonnull(strstr(text, "\r\nX-FOO;X-PARAM=\"a:b;c\":kept as is\r\n"));
    g_assert_nonnull(strstr(text, "\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n"));
    g_assert_nonnull(strstr(text, "\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:AAECAwQF"));

    /* Reopen: the same contacts, field for field. */
    GPtrArray *before = g_ptr_array_new();
    for (guint i = 0; i < abook_count(ab); i++)
        g_ptr_array_add(before, abook_get(ab, i));
    g_autofree char *sum1 = summarize(before);
    g_ptr_array_unref(before);
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(Abook) again = abook_open(abook_path(ab), &problems, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(problems->len, ==, 0);
    GPtrArray *after = g_ptr_array_new();
    for (guint i = 0; i < abook_count(again); i++)
        g_ptr_array_add(after, abook_get(again, i));
    g_autofree char *sum2 = summarize(after);
    g_ptr_array_unref(after);
    g_assert_cmpstr(sum1, ==, sum2);

    /* And through CSV: the people come back with their groups. */
    g_autofree char *csv = abook_export_csv(ab);
    AbookImportReport rep = { 0 };
    g_autoptr(GPtrArray) from_csv = abook_parse(csv, strlen(csv), "export.csv",
                                                ABOOK_FORMAT_AUTO, &rep, &error);
    g_assert_no_error(error);
    g_autofree char *csv_dir = NULL;
    g_autoptr(Abook) ab2 = temp_book(&csv_dir);
    abook_import_contacts(ab2, from_csv, &rep);
    abook_import_report_clear(&rep);
    guint people = 0;
    for (guint i = 0; i < abook_count(ab); i++)
        people += !abook_get(ab, i)->is_group;
    for (guint i = 0; i < abook_count(ab); i++) {
        const AbookContact *c = abook_get(ab, i);
        if (c->is_group)
            continue;
        const char *a = abook_contact_primary(c);
        if (!a)
            continue;
        const AbookContact *d = abook_find_address(ab2, a);
        g_assert_nonnull(d);
        g_assert_cmpstr(d->fn, ==, c->fn);
        g_assert_cmpuint(d->emails->len, ==, c->emails->len);
        g_assert_cmpuint(d->nicknames->len, ==, c->nicknames->len);
        g_assert_cmpstr(d->note, ==, c->note);
    }
    g_autoptr(GPtrArray) navy = abook_expand(ab2, "Navy");
    g_assert_nonnull(navy);
    g_assert_cmpuint(navy->len, ==, 2);
    rm_rf(dir);
    rm_rf(csv_dir);
}

/* A property name longer than a folded line puts its ':' on a continuation
 * line; reading it back must not take it for a stray line (found by the
 * fuzzer). */
static void
test_long_name_folding(void)
{
    g_autoptr(AbookContact) c = abook_contact_new();
    c->fn = g_strdup("Long");
    g_autofree char *name = g_strnfill(90, 'W');
    g_ptr_array_add(c->extra, g_strdup_printf("X-%s:value", name));
    g_autofree char *text = abook_contact_to_vcard(c);
    AbookImportReport rep = { 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) back = abook_parse(text, strlen(text), "long", ABOOK_FORMAT_VCARD,
                                            &rep, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(back->len, ==, 1);
    g_assert_null(rep.problems);
    const AbookContact *b = back->pdata[0];
    g_assert_cmpstr(b->fn, ==, "Long");
    g_assert_cmpuint(b->extra->len, ==, 1);
    g_assert_cmpstr(b->extra->pdata[0], ==, c->extra->pdata[0]);
}

/* ---- merging ------------------------------------------------------------ */

static void
test_import_merges(void)
{
    g_autofree char *dir = NULL;
    g_autoptr(Abook) ab = temp_book(&dir);
    import_file(ab, "dup-a.vcf");
    AbookImportReport rep = { 0 };
    g_autoptr(GError) error = NULL;
    g_assert_true(abook_import_file(ab, DATA("dup-b.csv"), ABOOK_FORMAT_AUTO, &rep, &error));
    g_assert_cmpuint(rep.merged, ==, 1);
    g_assert_cmpuint(rep.added, ==, 0);
    abook_import_report_clear(&rep);
    g_assert_cmpuint(abook_count(ab), ==, 1);
    const AbookContact *c = abook_get(ab, 0);
    g_assert_cmpstr(c->fn, ==, "Pat Jones");
    g_assert_cmpuint(c->emails->len, ==, 2);
    /* Nicknames of both, and the other spelling of the name. */
    g_assert_cmpuint(c->nicknames->len, ==, 3);
    g_assert_cmpstr(c->nicknames->pdata[2], ==, "Patricia Jones");
    /* Importing the same file again changes nothing. */
    import_file(ab, "dup-b.csv");
    g_assert_cmpuint(abook_count(ab), ==, 1);
    g_assert_cmpuint(abook_get(ab, 0)->emails->len, ==, 2);
    rm_rf(dir);
}

static void
test_failed_import_changes_nothing(void)
{
    g_autofree char *dir = NULL;
    g_autoptr(Abook) ab = temp_book(&dir);
    import_file(ab, "dup-a.vcf");
    AbookImportReport rep = { 0 };
    g_autoptr(GError) error = NULL;
    g_assert_false(abook_import_file(ab, DATA("unterminated.csv"), ABOOK_FORMAT_AUTO, &rep, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT);
    g_assert_nonnull(strstr(error->message, "unterminated.csv:3:"));
    g_assert_cmpuint(abook_count(ab), ==, 1);
    abook_import_report_clear(&rep);
    g_clear_error(&error);
    g_assert_false(abook_import_file(ab, DATA("no-such-file"), ABOOK_FORMAT_AUTO, &rep, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND);
    abook_import_report_clear(&rep);
    g_assert_cmpuint(abook_count(ab), ==, 1);
    rm_rf(dir);
}

static void
test_merge_duplicates(void)
{
    g_autofree char *dir = NULL;
    g_autoptr(Abook) ab = temp_book(&dir);
    AbookContact *a = abook_contact_new();
    a->fn = g_strdup("Kim Lee");
    abook_contact_add_email(a, "kim@x.example", NULL, 0);
    abook_contact_add_nickname(a, "kim");
    abook_add(ab, a);
    AbookContact *b = abook_contact_new();
    b->fn = g_strdup("K. Lee");
    abook_contact_add_email(b, "KIM@x.example", NULL, 0);
    abook_contact_add_email(b, "lee@work.example", "work", 0);
    abook_add(ab, b);
    AbookContact *c = abook_contact_new();
    c->fn = g_strdup("kim lee");              /* same name, other address */
    abook_contact_add_email(c, "kimlee@home.example", NULL, 0);
    abook_contact_add_nickname(c, "kimmy");
    abook_add(ab, c);
    AbookContact *other = abook_contact_new();
    other->fn = g_strdup("Someone Else");
    abook_contact_add_email(other, "else@x.example", NULL, 0);
    abook_add(ab, other);
    AbookContact *g = abook_contact_new();
    g->is_group = TRUE;
    g->fn = g_strdup("Lees");
    g_ptr_array_add(g->members, g_strdup(c->uid));
    abook_add(ab, g);

    g_assert_cmpuint(abook_merge_duplicates(ab), ==, 2);
    g_assert_cmpuint(abook_count(ab), ==, 3);
    const AbookContact *m = abook_get(ab, 0);
    g_assert_cmpstr(m->fn, ==, "Kim Lee");
    g_assert_cmpuint(m->emails->len, ==, 3);
    g_assert_cmpstr(((AbookEmail *)m->emails->pdata[1])->address, ==, "lee@work.example");
    /* kim, K. Lee (the other name), kimmy */
    g_assert_cmpuint(m->nicknames->len, ==, 3);
    /* The group now points at the contact that stayed. */
    g_autoptr(GPtrArray) lees = abook_expand(ab, "lees");
    g_assert_cmpuint(lees->len, ==, 1);
    g_assert_cmpstr(lees->pdata[0], ==, "Kim Lee <kim@x.example>");
    rm_rf(dir);
}

/* ---- search, completion, groups, use counts ----------------------------- */

static Abook *
sample_book(char **dir)
{
    Abook *ab = temp_book(dir);
    struct { const char *fn, *given, *family, *nick, *addr, *addr2; } people[] = {
        { "José Álvarez", "José", "Álvarez", "pepe", "jose@work.example", "ja@home.example" },
        { "Joanna Smith", "Joanna", "Smith", NULL, "joanna@example.org", NULL },
        { "John Smithers", "John", "Smithers", "js", "john@example.org", NULL },
        { "Zed Brown", "Zed", "Brown", "johnny", "zed@example.org", NULL },
        { "Xavier Yu", "Xavier", "Yu", NULL, "smith.fan@example.net", NULL },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(people); i++) {
        AbookContact *c = abook_contact_new();
        c->fn = g_strdup(people[i].fn);
        c->given = g_strdup(people[i].given);
        c->family = g_strdup(people[i].family);
        if (people[i].nick)
            abook_contact_add_nickname(c, people[i].nick);
        abook_contact_add_email(c, people[i].addr, NULL, 0);
        if (people[i].addr2)
            abook_contact_add_email(c, people[i].addr2, NULL, 0);
        abook_add(ab, c);
    }
    AbookContact *g = abook_contact_new();
    g->is_group = TRUE;
    g->fn = g_strdup("Smith Family");
    g_ptr_array_add(g->members, g_strdup("mailto:joanna@example.org"));
    g_ptr_array_add(g->members, g_strdup(abook_find_address(ab, "john@example.org")->uid));
    g_ptr_array_add(g->members, g_strdup("mailto:cousin%2Bsmith@far.example"));
    g_ptr_array_add(g->members, g_strdup("mailto:JOANNA@example.org"));   /* once only */
    abook_add(ab, g);
    return ab;
}

static char *
joined(GPtrArray *a)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; a && i < a->len; i++)
        g_string_append_printf(s, "%s%s", i ? "; " : "", (char *)a->pdata[i]);
    return g_string_free(s, FALSE);
}

typedef struct {
    const char *prefix;
    guint max;
    const char *expect;
} CompleteCase;

static void
check_complete(Abook *ab, const CompleteCase *cases, gsize n)
{
    for (gsize i = 0; i < n; i++) {
        g_autoptr(GPtrArray) got = abook_complete(ab, cases[i].prefix, cases[i].max);
        g_autofree char *s = joined(got);
        g_test_message("prefix '%s'", cases[i].prefix);
        g_assert_cmpstr(s, ==, cases[i].expect);
    }
}

static const CompleteCase complete_cases[] = {
    /* first name (of two people), accents ignored */
    { "jo", 0, "Joanna Smith <joanna@example.org>; John Smithers <john@example.org>; "
               "Jos\xc3\xa9 \xc3\x81lvarez <jose@work.example>; Jos\xc3\xa9 \xc3\x81lvarez <ja@home.example>; "
               "Zed Brown <zed@example.org>" },
    { "JOS", 0, "Jos\xc3\xa9 \xc3\x81lvarez <jose@work.example>; Jos\xc3\xa9 \xc3\x81lvarez <ja@home.example>" },
    /* last name, with accents typed or not */
    { "alv", 0, "Jos\xc3\xa9 \xc3\x81lvarez <jose@work.example>; Jos\xc3\xa9 \xc3\x81lvarez <ja@home.example>" },
    { "\xc3\x81lv", 1, "Jos\xc3\xa9 \xc3\x81lvarez <jose@work.example>" },
    /* last-name prefix, a group, an address prefix; not the middle of a word */
    { "smith", 0, "Joanna Smith <joanna@example.org>; John Smithers <john@example.org>; "
                  "Smith Family; Xavier Yu <smith.fan@example.net>" },
    { "mith", 0, "" },
    /* nickname */
    { "pep", 0, "Jos\xc3\xa9 \xc3\x81lvarez <jose@work.example>; Jos\xc3\xa9 \xc3\x81lvarez <ja@home.example>" },
    /* address */
    { "zed@", 0, "Zed Brown <zed@example.org>" },
    { "ja@", 0, "Jos\xc3\xa9 \xc3\x81lvarez <ja@home.example>" },
    /* two words of the full name */
    { "john sm", 0, "John Smithers <john@example.org>" },
    { "", 0, "" },
    { "qqq", 0, "" },
};

static const CompleteCase ranked_cases[] = {
    /* Used most first, then by name. */
    { "jo", 3, "Zed Brown <zed@example.org>; Jos\xc3\xa9 \xc3\x81lvarez <ja@home.example>; "
               "Joanna Smith <joanna@example.org>" },
    { "smith", 0, "Smith Family; Joanna Smith <joanna@example.org>; John Smithers <john@example.org>; "
                  "Xavier Yu <smith.fan@example.net>" },
};

static void
test_complete(void)
{
    g_autofree char *dir = NULL;
    g_autoptr(Abook) ab = sample_book(&dir);
    check_complete(ab, complete_cases, G_N_ELEMENTS(complete_cases));

    /* Use counts rank, and survive a save and reload. */
    for (int i = 0; i < 5; i++)
        abook_note_used(ab, "Zed Brown <ZED@example.org>");
    for (int i = 0; i < 2; i++)
        abook_note_used(ab, "ja@home.example");
    abook_note_used(ab, "Smith Family");
    g_assert_cmpuint(abook_used_count(ab, "zed@example.org"), ==, 5);
    check_complete(ab, ranked_cases, G_N_ELEMENTS(ranked_cases));
    g_autoptr(GError) error = NULL;
    g_assert_true(abook_save(ab, &error));
    g_assert_no_error(error);

    g_autofree char *used_path = g_build_filename(dir, "state", "abook-used", NULL);
    g_autofree char *used = NULL;
    g_assert_true(g_file_get_contents(used_path, &used, NULL, NULL));
    g_assert_cmpstr(used, ==, "1\tgroup:smith family\n2\tja@home.example\n5\tzed@example.org\n");
    struct stat st;
    g_assert_cmpint(stat(used_path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    rm_rf(dir);
}

static void
test_search(void)
{
    g_autofree char *dir = NULL;
    g_autoptr(Abook) ab = sample_book(&dir);
    struct { const char *q; const char *names; } cases[] = {
        { "SMITH", "Joanna Smith,John Smithers,Smith Family,Xavier Yu" },
        { "alvarez", "Jos\xc3\xa9 \xc3\x81lvarez" },
        { "home.example", "Jos\xc3\xa9 \xc3\x81lvarez" },
        { "ohnn", "Zed Brown" },
        { "", "Joanna Smith,John Smithers,Jos\xc3\xa9 \xc3\x81lvarez,Smith Family,Xavier Yu,Zed Brown" },
        { "nothing", "" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GPtrArray) got = abook_search(ab, cases[i].q);
        GString *s = g_string_new(NULL);
        for (guint k = 0; k < got->len; k++)
            g_string_append_printf(s, "%s%s", k ? "," : "", ((AbookContact *)got->pdata[k])->fn);
        g_assert_cmpstr(s->str, ==, cases[i].names);
        g_string_free(s, TRUE);
    }
    rm_rf(dir);
}

static void
test_expand(void)
{
    g_autofree char *dir = NULL;
    g_autoptr(Abook) ab = sample_book(&dir);
    g_autoptr(GPtrArray) fam = abook_expand(ab, " smith family ");
    g_autofree char *s = joined(fam);
    g_assert_cmpstr(s, ==, "Joanna Smith <joanna@example.org>; John Smithers <john@example.org>; "
                           "cousin+smith@far.example");
    g_assert_null(abook_expand(ab, "Joanna Smith"));   /* a person, not a group */
    g_assert_null(abook_expand(ab, "No Such Group"));

    /* Nested groups, and a loop between two groups, end. */
    AbookContact *outer = abook_contact_new();
    outer->is_group = TRUE;
    outer->fn = g_strdup("Everyone");
    abook_add(ab, outer);
    AbookContact *fam_g = abook_find_name(ab, "Smith Family", TRUE);
    g_ptr_array_add(outer->members, g_strdup(fam_g->uid));
    g_ptr_array_add(outer->members, g_strdup("mailto:zed@example.org"));
    g_ptr_array_add(fam_g->members, g_strdup(outer->uid));
    g_autoptr(GPtrArray) all = abook_expand(ab, "everyone");
    g_autofree char *s2 = joined(all);
    g_assert_cmpstr(s2, ==, "Joanna Smith <joanna@example.org>; John Smithers <john@example.org>; "
                            "cousin+smith@far.example; Zed Brown <zed@example.org>");

    /* Removing a contact takes it out of its groups. */
    abook_remove(ab, abook_find_address(ab, "john@example.org"));
    g_autoptr(GPtrArray) fam2 = abook_expand(ab, "Smith Family");
    g_assert_cmpuint(fam2->len, ==, 3);
    rm_rf(dir);
}

/* An edit that takes an address away: lookups no longer find the
 * contact by it, and find it by the address it gained. */
static void
test_changed_reindexes(void)
{
    g_autofree char *dir = NULL;
    g_autoptr(Abook) ab = temp_book(&dir);
    g_autoptr(GError) error = NULL;
    gboolean is_new = FALSE;
    AbookContact *c = abook_add_from_display(ab, "Jane <old@x.example>", &is_new, &error);
    g_assert_nonnull(c);
    g_assert_true(abook_find_address(ab, "old@x.example") == c);
    g_ptr_array_remove_index(c->emails, 0);
    abook_contact_add_email(c, "new@x.example", NULL, 0);
    abook_changed(ab, c);
    g_assert_null(abook_find_address(ab, "old@x.example"));
    g_assert_true(abook_find_address(ab, "NEW@x.example") == c);
}

static void
test_add_from_display(void)
{
    g_autofree char *dir = NULL;
    g_autoptr(Abook) ab = temp_book(&dir);
    g_autoptr(GError) error = NULL;
    gboolean is_new = FALSE;
    AbookContact *c = abook_add_from_display(ab, "\"Doe, Jane\" <jane@x.example>", &is_new, &error);
    g_assert_no_error(error);
    g_assert_true(is_new);
    g_assert_cmpstr(c->fn, ==, "Doe, Jane");
    g_assert_cmpstr(c->given, ==, "Jane");
    g_assert_cmpstr(c->family, ==, "Doe");

    c = abook_add_from_display(ab, "JANE@x.example", &is_new, &error);
    g_assert_nonnull(c);
    g_assert_false(is_new);
    g_assert_cmpuint(abook_count(ab), ==, 1);

    /* Known only by address: the name is filled in. */
    c = abook_add_from_display(ab, "bare@x.example", &is_new, &error);
    g_assert_cmpstr(c->fn, ==, "bare@x.example");
    c = abook_add_from_display(ab, "Bare Person <bare@x.example>", &is_new, &error);
    g_assert_false(is_new);
    g_assert_cmpstr(c->fn, ==, "Bare Person");
    g_assert_cmpstr(c->family, ==, "Person");

    g_assert_null(abook_add_from_display(ab, "Nobody <nowhere>", &is_new, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT);
    g_clear_error(&error);
    g_assert_null(abook_add_from_display(ab, "", &is_new, &error));
    g_clear_error(&error);
    g_assert_cmpuint(abook_count(ab), ==, 2);
    rm_rf(dir);
}

static void
test_format_address(void)
{
    struct { const char *name, *addr, *out; } cases[] = {
        { "Jane Doe", "j@x", "Jane Doe <j@x>" },
        { "Doe, Jane", "j@x", "\"Doe, Jane\" <j@x>" },
        { "J. \"JJ\" Doe", "j@x", "\"J. \\\"JJ\\\" Doe\" <j@x>" },
        { NULL, "j@x", "j@x" },
        { "", "j@x", "j@x" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *s = abook_format_address(cases[i].name, cases[i].addr);
        g_assert_cmpstr(s, ==, cases[i].out);
    }
    g_assert_true(abook_address_valid("a.b+c@d.example"));
    g_assert_false(abook_address_valid("a b@c"));
    g_assert_false(abook_address_valid("@c"));
    g_assert_false(abook_address_valid("a@"));
    g_assert_false(abook_address_valid("a<b>@c"));
}

/* ---- a big import ------------------------------------------------------- */

static void
test_import_2000(void)
{
    g_autofree char *dir = NULL;
    g_autoptr(Abook) ab = temp_book(&dir);
    /* 2,000 rows; every tenth repeats the address of an earlier row in
     * other case with a new second address, so 200 merge. */
    GString *csv = g_string_new("First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,Notes\r\n");
    for (guint i = 0; i < 2000; i++) {
        if (i % 10 == 9) {
            guint j = i - 9;
            g_string_append_printf(csv, "Dup,Person%u,,dup%u,USER%u@EXAMPLE.ORG,second%u@example.net,"
                                   "\"note, with comma\"\r\n", j, j, j, j);
        } else {
            g_string_append_printf(csv, "Given%u,Family%u,,nick%u,user%u@example.org,,\r\n",
                                   i, i, i, i);
        }
    }
    g_autofree char *path = g_build_filename(dir, "big.csv", NULL);
    g_assert_true(g_file_set_contents(path, csv->str, (gssize)csv->len, NULL));
    g_string_free(csv, TRUE);

    AbookImportReport rep = { 0 };
    g_autoptr(GError) error = NULL;
    g_assert_true(abook_import_file(ab, path, ABOOK_FORMAT_AUTO, &rep, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(rep.found, ==, 2000);
    g_assert_cmpuint(rep.added, ==, 1800);
    g_assert_cmpuint(rep.merged, ==, 200);
    g_assert_cmpuint(rep.problems ? rep.problems->len : 0, ==, 0);
    abook_import_report_clear(&rep);
    g_assert_cmpuint(abook_count(ab), ==, 1800);
    const AbookContact *c = abook_find_address(ab, "second990@example.net");
    g_assert_nonnull(c);
    g_assert_cmpstr(c->fn, ==, "Given990 Family990");
    g_assert_cmpuint(c->emails->len, ==, 2);
    g_assert_cmpuint(c->nicknames->len, ==, 3);    /* nick990, dup990, Dup Person990 */
    g_assert_true(abook_save(ab, &error));

    /* Completion over the big book. */
    g_autoptr(GPtrArray) got = abook_complete(ab, "given198 family198", 0);
    g_autofree char *s = joined(got);
    g_assert_cmpstr(s, ==, "Given198 Family198 <user198@example.org>");
    g_autoptr(GPtrArray) many = abook_complete(ab, "given1", 5);
    g_assert_cmpuint(many->len, ==, 5);

    /* The same contacts as vCard again: everything merges, nothing is added. */
    g_autofree char *vcf = abook_export_vcard(ab);
    g_autofree char *vpath = g_build_filename(dir, "big.vcf", NULL);
    g_assert_true(g_file_set_contents(vpath, vcf, -1, NULL));
    g_assert_true(abook_import_file(ab, vpath, ABOOK_FORMAT_AUTO, &rep, &error));
    g_assert_cmpuint(rep.found, ==, 1800);
    g_assert_cmpuint(rep.added, ==, 0);
    g_assert_cmpuint(rep.merged, ==, 1800);
    abook_import_report_clear(&rep);
    g_assert_cmpuint(abook_count(ab), ==, 1800);

    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(Abook) again = abook_open(abook_path(ab), &problems, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(abook_count(again), ==, 1800);
    rm_rf(dir);
}

static void
test_open_errors(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-abook-XXXXXX", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) problems = NULL;
    /* Missing file: an empty book. */
    g_autofree char *missing = g_build_filename(dir, "none.vcf", NULL);
    g_autoptr(Abook) empty = abook_open(missing, &problems, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(abook_count(empty), ==, 0);
    /* A file that is not vCard is refused, so it is never overwritten. */
    g_autofree char *other = g_build_filename(dir, "other.vcf", NULL);
    g_assert_true(g_file_set_contents(other, "not a vcard\n", -1, NULL));
    g_clear_pointer(&problems, g_ptr_array_unref);
    g_assert_null(abook_open(other, &problems, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT);
    rm_rf(dir);
}

/* Two programs with the book open: the second save keeps the first's
 * additions, and a removal stays a removal. */
static void
test_concurrent_save(void)
{
    g_autofree char *dir = g_dir_make_tmp("postie-abook-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "contacts.vcf", NULL);
    g_autoptr(GError) error = NULL;
    {
        g_autoptr(Abook) seed = abook_new(path, NULL);
        g_assert_nonnull(abook_add_from_display(seed, "Old One <old@x.example>", NULL, &error));
        g_assert_nonnull(abook_add_from_display(seed, "Gone Soon <gone@x.example>", NULL, &error));
        g_assert_true(abook_save(seed, &error));
    }
    g_autoptr(Abook) a = abook_open(path, NULL, &error);
    g_autoptr(Abook) b = abook_open(path, NULL, &error);
    g_assert_no_error(error);
    g_assert_nonnull(abook_add_from_display(b, "From B <b@x.example>", NULL, &error));
    g_assert_true(abook_save(b, &error));
    abook_remove(a, abook_find_address(a, "gone@x.example"));
    g_assert_nonnull(abook_add_from_display(a, "From A <a@x.example>", NULL, &error));
    g_assert_true(abook_save(a, &error));
    g_assert_no_error(error);

    g_autoptr(Abook) c = abook_open(path, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(abook_count(c), ==, 3);
    g_assert_nonnull(abook_find_address(c, "old@x.example"));
    g_assert_nonnull(abook_find_address(c, "a@x.example"));
    g_assert_nonnull(abook_find_address(c, "b@x.example"));
    g_assert_null(abook_find_address(c, "gone@x.example"));
    rm_rf(dir);
}

int
main(int argc, char **argv)
{
    /* Private XDG directories: nothing of the user's is read or written. */
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    g_mime_init();
    g_test_add_func("/abook/vcard/cases", test_vcard_cases);
    g_test_add_func("/abook/csv/records", test_csv_records);
    g_test_add_func("/abook/csv/cases", test_csv_cases);
    g_test_add_func("/abook/csv/utf16", test_csv_utf16);
    g_test_add_func("/abook/mutt/cases", test_mutt_cases);
    g_test_add_func("/abook/ldif/cases", test_ldif_cases);
    g_test_add_func("/abook/files", test_files);
    g_test_add_func("/abook/round-trip", test_round_trip);
    g_test_add_func("/abook/long-name-folding", test_long_name_folding);
    g_test_add_func("/abook/import/merges", test_import_merges);
    g_test_add_func("/abook/import/failed", test_failed_import_changes_nothing);
    g_test_add_func("/abook/import/2000", test_import_2000);
    g_test_add_func("/abook/merge-duplicates", test_merge_duplicates);
    g_test_add_func("/abook/complete", test_complete);
    g_test_add_func("/abook/search", test_search);
    g_test_add_func("/abook/expand", test_expand);
    g_test_add_func("/abook/add-from-display", test_add_from_display);
    g_test_add_func("/abook/changed-reindexes", test_changed_reindexes);
    g_test_add_func("/abook/format-address", test_format_address);
    g_test_add_func("/abook/open-errors", test_open_errors);
    g_test_add_func("/abook/concurrent-save", test_concurrent_save);
    int rc = g_test_run();
    g_mime_shutdown();
    return rc;
}
