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
