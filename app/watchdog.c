/*
 * watchdog.c — see watchdog.h.
 */
#define _GNU_SOURCE
#include "watchdog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util.h"

static struct sockaddr_un addr;
static socklen_t addr_len;
static uint64_t interval_ms, last_ping;
static bool enabled;

void watchdog_init(void)
{
    const char *sock = getenv("NOTIFY_SOCKET");
    if (!sock || !*sock || strlen(sock) >= sizeof addr.sun_path)
        return;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, sock, strlen(sock));
    if (addr.sun_path[0] == '@')
        addr.sun_path[0] = '\0'; /* an abstract socket */
    addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sock));
    enabled = true;
    const char *usec = getenv("WATCHDOG_USEC");
    if (usec && *usec)
        interval_ms = strtoull(usec, NULL, 10) / 1000;
}

static void send_state(const char *state)
{
    if (!enabled)
        return;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&addr, addr_len) < 0)
        log_msg("watchdog", "cannot notify systemd");
    close(fd);
}

void watchdog_ready(void)
{
    send_state("READY=1");
}

void watchdog_ping(uint64_t now_ms)
{
    if (!enabled || !interval_ms || now_ms < last_ping + interval_ms / 2)
        return;
    last_ping = now_ms;
    send_state("WATCHDOG=1");
}

uint64_t watchdog_next(void)
{
    return enabled && interval_ms ? last_ping + interval_ms / 2 : UINT64_MAX;
}
