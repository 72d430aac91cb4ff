/*
 * usb.h — finding a staff USB stick and reading it without trusting it.
 *
 * A stick is a folder under the mount root (default /media) holding a
 * `skranke` folder, one or two levels down (MEDIA/STICK/skranke or
 * MEDIA/USER/STICK/skranke, as udisks mounts them). The kiosk reads only the
 * files ending in .json in skranke/inbox (and their .minisig) and writes
 * only into skranke/outbox.
 *
 * Nothing on a stick is followed or trusted: symbolic links are refused
 * (O_NOFOLLOW, lstat), only regular files are read, names with '/', "..",
 * control characters or invalid UTF-8 are refused, files over the format's
 * size limit are refused by their size alone. Every name in the inbox is
 * read (up to a million); when more batches are there than fit in the list
 * (USB_FILES_MAX), the list's last entry says so, so a good batch is never
 * skipped without a word.
 */
#ifndef SKRANKE_USB_H
#define SKRANKE_USB_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define USB_FILES_MAX 64

struct usb_file {
    char name[NAME_MAX + 1]; /* every name a Linux folder can hold */
    char path[4096];
    bool ok;
    char why[200]; /* when refused */
};

/* The stick's skranke/ folder into dir (cap bytes); false when none. */
bool usb_find(const char *root, char *dir, size_t cap);
/* The candidate batches in dir/inbox, each either ok or refused with a
 * reason. Returns how many (at most max), sorted by name. */
size_t usb_list_inbox(const char *dir, struct usb_file *files, size_t max);
/* dir/outbox, created when missing; false (with why) when it is not a real
 * folder on the stick. */
bool usb_outbox(const char *dir, char *out, size_t cap, char *why, size_t why_cap);

#endif
