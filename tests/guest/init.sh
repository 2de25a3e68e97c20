#!/bin/sh
# /init of the NovaCron tiny test guest (busybox sh, PID 1).
# Every line starting with NOVACRON- on /dev/ttyS0 is a marker that tests wait for;
# keep their format stable (see tests/guest/README.md).

/bin/busybox mkdir -p /proc /sys /dev /tmp /run /var/log /var/www /etc/acpi/PWRF /usr/share/udhcpc
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci \
	failover net_failover virtio_net virtio_blk virtio_balloon virtio_console virtio-rng \
	evdev button; do
	insmod "/lib/modules/$m.ko" 2>/dev/null
done

say() { echo "$*" >/dev/ttyS0; }

say NOVACRON-GUEST-BOOT

# Kernel command line options: novacron.marker=XYZ, novacron.hostname=NAME.
marker=
name=novacron-guest
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	novacron.marker=*) marker="${arg#novacron.marker=}" ;;
	novacron.hostname=*) name="${arg#novacron.hostname=}" ;;
	esac
done
hostname "$name"
[ -n "$marker" ] && say "NOVACRON-MARKER $marker"

disks() {
	for d in /sys/block/vd*; do [ -e "$d" ] && echo -n "${d##*/} "; done
}

for d in $(disks); do
	say "NOVACRON-DISK $d size=$(($(cat /sys/block/$d/size) * 512))"
done

# Hot-plug watcher: prints the virtio disk list at start and whenever it changes.
(
	last="unset"
	while true; do
		now="$(disks)"
		if [ "$now" != "$last" ]; then
			say "NOVACRON-DISKS ${now% }"
			last="$now"
		fi
		sleep 1
	done
) &

cat >/usr/share/udhcpc/default.script <<'EOF'
#!/bin/sh
case "$1" in
deconfig)
	ifconfig "$interface" 0.0.0.0 up
	;;
bound | renew)
	ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}" up
	for r in $router; do route add default gw "$r" dev "$interface"; break; done
	: >/etc/resolv.conf
	for d in $dns; do echo "nameserver $d" >>/etc/resolv.conf; done
	echo "$ip" >/run/ip
	;;
esac
exit 0
EOF
chmod 755 /usr/share/udhcpc/default.script

# A stand-in for qemu-guest-agent (TEST GUEST ONLY, with novacron.qga=1): answers on the org.qemu.guest_agent.0
# virtio port the few QGA commands NovaCron sends, so the host side is tested through a real QEMU and guest.
cat >/bin/tiny-qga <<'QGA'
#!/bin/sh
port=
for p in /sys/class/virtio-ports/*; do
	[ "$(cat "$p/name" 2>/dev/null)" = org.qemu.guest_agent.0 ] && port="/dev/${p##*/}"
done
[ -n "$port" ] || exit 0
say() { echo "$*" >/dev/ttyS0; }
# The port stays open, as qemu-guest-agent keeps it (the host sees the agent through QEMU's frontend-open); a read
# hits end of file whenever no host client is connected, so wait a little and read again.
exec 3<>"$port"
while true; do
	while IFS= read -r line <&3; do
		case "$line" in
		*guest-sync-delimited*)
			id=$(echo "$line" | sed -n 's/.*"id": *\([0-9]*\).*/\1/p')
			printf '\377{"return": %s}\n' "$id" >&3 ;;
		*guest-ping*) echo '{"return": {}}' >&3 ;;
		*guest-network-get-interfaces*)
			ip=$(cat /run/ip 2>/dev/null)
			mac=$(cat /sys/class/net/eth0/address 2>/dev/null)
			eth0=
			[ -n "$ip" ] && eth0=", {\"name\": \"eth0\", \"hardware-address\": \"$mac\", \"ip-addresses\": [{\"ip-address-type\": \"ipv4\", \"ip-address\": \"$ip\", \"prefix\": 24}]}"
			echo "{\"return\": [{\"name\": \"lo\", \"ip-addresses\": [{\"ip-address-type\": \"ipv4\", \"ip-address\": \"127.0.0.1\", \"prefix\": 8}]}$eth0]}" >&3 ;;
		*guest-get-osinfo*) echo '{"return": {"id": "novacron-tiny", "name": "NovaCron tiny guest", "pretty-name": "NovaCron tiny test guest"}}' >&3 ;;
		*guest-shutdown*reboot*) say NOVACRON-GUEST-QGA-REBOOT; sync; reboot -f ;;
		*guest-shutdown*) say NOVACRON-GUEST-QGA-POWEROFF; sync; poweroff -f ;;
		*execute*) echo '{"error": {"class": "CommandNotFound", "desc": "not in the tiny guest agent"}}' >&3 ;;
		esac
	done
	sleep 0.3
done
QGA
chmod 755 /bin/tiny-qga
grep -q 'novacron.qga=1' /proc/cmdline && tiny-qga &

ifconfig lo 127.0.0.1 up
ip=none
if [ -e /sys/class/net/eth0 ]; then
	udhcpc -i eth0 -s /usr/share/udhcpc/default.script -t 10 -T 1 -n -q >/dev/null 2>&1
	[ -s /run/ip ] && ip="$(cat /run/ip)"
fi

echo "<html><body><h1>NovaCron test guest</h1><p>hostname=$name marker=$marker</p></body></html>" >/var/www/index.html
httpd -p 80 -h /var/www

cat >/etc/acpi/PWRF/00000080 <<'EOF'
#!/bin/sh
echo NOVACRON-GUEST-ACPI-POWEROFF >/dev/ttyS0
sync
poweroff -f
EOF
chmod 755 /etc/acpi/PWRF/00000080
# acpid exits silently unless its log file (/var/log/acpid.log) can be opened.
acpid -l /var/log/acpid.log

say "NOVACRON-GUEST-READY ip=$ip"

# Serial shell, restarted if it exits; PID 1 must never return.
while true; do
	setsid cttyhack sh
	sleep 1
done
