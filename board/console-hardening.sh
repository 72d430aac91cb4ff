#!/bin/sh
# Console hardening for a kiosk board: no keys can reach a shell.
#   - no login prompt on any virtual terminal (gettys masked);
#   - VT switching keys (Ctrl+Alt+F1…F12, Alt+arrows) removed from the
#     keymap at every boot (skranke-novt.service);
#   - the magic SysRq key off;
#   - no kernel messages on the kiosk's screen.
# Run once as root after installing the package; it is idempotent.
set -eu
root=${SKRANKE_ROOT:-}

for n in 1 2 3 4 5 6; do
    ln -sf /dev/null "$root/etc/systemd/system/getty@tty$n.service"
done
ln -sf /dev/null "$root/etc/systemd/system/autovt@.service"

mkdir -p "$root/etc/systemd/system" "$root/etc/sysctl.d"
cat > "$root/etc/sysctl.d/90-skranke.conf" <<'CONF'
# skranke kiosk: no magic SysRq, no kernel messages on the console.
kernel.sysrq = 0
kernel.printk = 3 3 3 3
CONF

mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
cat > "$root/etc/systemd/system/skranke-novt.service" <<'UNIT'
[Unit]
Description=Remove virtual-terminal switching keys for the skranke kiosk
Before=skranke.service

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'dumpkeys --keys-only | sed -E "s/(Console_[0-9]+|Incr_Console|Decr_Console|Last_Console|Spawn_Console)/VoidSymbol/g" | loadkeys'

[Install]
WantedBy=multi-user.target
UNIT
ln -sf ../skranke-novt.service \
    "$root/etc/systemd/system/multi-user.target.wants/skranke-novt.service"
echo "console hardening in place; reboot to apply"
