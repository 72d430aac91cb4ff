/*
 * watchdog.h — telling systemd that the kiosk started and that its loop
 * still turns (sd_notify's READY=1 and WATCHDOG=1), without libsystemd: a
 * datagram to $NOTIFY_SOCKET. The loop pings at half of $WATCHDOG_USEC; a
 * loop that hangs stops pinging, and systemd kills and restarts the kiosk.
 * Without those variables (a developer's window) everything here is a no-op.
 */
#ifndef SKRANKE_WATCHDOG_H
#define SKRANKE_WATCHDOG_H

#include <stdint.h>

void watchdog_init(void);
void watchdog_ready(void);
/* Pings when half the interval has passed since the last ping. */
void watchdog_ping(uint64_t now_ms);
/* When the next ping is due (ms), or UINT64_MAX when there is no watchdog. */
uint64_t watchdog_next(void);

#endif
