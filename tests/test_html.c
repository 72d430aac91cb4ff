/*
 * test_html.c — the plain text of job ads' HTML (Jobnet's Presentation):
 * what a citizen reads on the kiosk must never show markup, entities or
 * the source's line breaks, and must keep the ad's paragraphs and lists.
 */
#include "test.h"

#include "html_text.h"

static void expect(const char *html, const char *want)
{
    struct buf b;
    buf_init(&b);
    html_to_text(html, &b);
    CHECK_STR(b.data, want);
    buf_free(&b);
}

int main(void)
{
    /* Paragraphs, a list, entities, the source's own line breaks. */
    expect("<p>Vi s&oslash;ger en <strong>SOSU-assistent</strong>\r\n til\tpleje&shy;centret.</p>"
           "<p>Du skal:</p><ul><li>v&aelig;re glad &amp; stabil</li>\n<li>have k&oslash;rekort"
           "</li></ul><p>L&oslash;n efter aftale &ndash; tiltr&aelig;delse 1.&nbsp;marts</p>",
           "Vi søger en SOSU-assistent til plejecentret.\n\nDu skal:\n\n"
           "• være glad & stabil\n• have kørekort\n\nLøn efter aftale – tiltrædelse 1. marts");
    /* <br>, headings, numeric references, a comment, script and style. */
    expect("<h2>Om jobbet</h2>Linje et<br>Linje to<br/><br />&#8226; punkt &#x2013; &#229;"
           "<!-- <p>skjult</p> --><script>alert('x<p>')</script><style>p{color:red}</style>",
           "Om jobbet\n\nLinje et\nLinje to\n• punkt – å");
    /* Attributes with '>' in quotes; uppercase tags; nested blocks. */
    expect("<DIV CLASS=\"a>b\"><P>Hej</P></DIV><div><div>Farvel</div></div>", "Hej\n\nFarvel");
    /* Not markup: a lone '<', an unknown or unterminated entity. */
    expect("3 < 5 &foo; &amp &#; AT&T", "3 < 5 &foo; &amp &#; AT&T");
    /* Control and bidi control characters are dropped; no leading or
     * trailing white space; an empty ad stays empty. */
    expect("  <p> \x01" "Ab\xE2\x80\xAE" "c </p>  ", "Abc");
    expect("", "");
    expect("<p></p><ul><li></li></ul>", "");
    /* Arabic text with a link keeps its words. */
    expect("<p>مرحبا <a href=\"https://x.dk\">هنا</a></p>", "مرحبا هنا");
    /* Table cells are separated by a space, rows by a paragraph. */
    expect("<table><tr><td>Løn</td><td>Efter aftale</td></tr><tr><td>Timer</td><td>37</td>"
           "</tr></table>",
           "Løn Efter aftale\n\nTimer 37");
    /* A reference to NUL or a surrogate becomes U+FFFD, not a cut string. */
    expect("a&#0;b&#xD800;c", "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
    TEST_END();
}
