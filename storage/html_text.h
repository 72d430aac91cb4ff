/*
 * html_text.h — the plain text of a job ad's HTML (Jobnet's `Presentation`),
 * for a kiosk that never shows markup.
 *
 * Tags are dropped; <script>, <style> and comments with their content.
 * Block elements (p, div, h1–h6, table rows, blockquote) end a paragraph:
 * paragraphs are separated by one empty line. <br> breaks a line. Each list
 * item becomes a line starting with "• ". Character references are decoded:
 * numeric (&#8211; &#x2013;) and the named ones job ads use (&amp; &nbsp;
 * &aelig; &oslash; &aring; &eacute; &ndash; &hellip; …); an unknown or
 * broken one stays as written. Inside a paragraph, runs of white space
 * (spaces, tabs, line breaks of the source, no-break spaces) become one
 * space; control characters and bidi controls are dropped. The result has
 * no leading or trailing white space.
 */
#ifndef SKRANKE_HTML_TEXT_H
#define SKRANKE_HTML_TEXT_H

#include <stddef.h>

#include "util.h"

/* The plain text of the NUL-terminated html, into out (cleared first). */
void html_to_text(const char *html, struct buf *out);

#endif
