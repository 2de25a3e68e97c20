#!/usr/bin/env bash
# Builds the NovaCron tiny test guest from Debian packages only (no internet besides apt):
#   out/vmlinuz     Debian cloud kernel
#   out/initrd.img  busybox-static + virtio modules + init.sh as /init
#   out/disk.qcow2  bootable FAT + syslinux disk holding the two files above
# Cached: exits at once when the outputs exist and were built by this exact build.sh + init.sh.
# Environment: NOVACRON_GUEST_OUT (output dir), NOVACRON_GUEST_KERNEL_PKG (kernel package override).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${NOVACRON_GUEST_OUT:-$here/out}"
outputs=(vmlinuz initrd.img disk.qcow2)
modules=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
	failover net_failover virtio_net virtio_blk virtio_balloon virtio_console virtio-rng
	evdev button)

log() { echo "guest-build: $*" >&2; }

stamp_value() { cat "$here/build.sh" "$here/init.sh" | sha256sum | cut -d' ' -f1; }

up_to_date() {
	local f
	for f in "${outputs[@]}"; do [[ -s "$out/$f" ]] || return 1; done
	[[ -f "$out/.stamp" && "$(cat "$out/.stamp")" == "$(stamp_value)" ]]
}

if up_to_date; then exit 0; fi

mkdir -p "$out"
# Serialise concurrent builds (parallel test files); re-check once we hold the lock.
exec 9>"$out/.lock"
flock 9
if up_to_date; then exit 0; fi

start=$(date +%s%N)

ensure_tools() {
	local missing=() pair cmd pkg
	for pair in apt-get:apt dpkg-deb:dpkg qemu-img:qemu-utils syslinux:syslinux mcopy:mtools \
		mkfs.vfat:dosfstools gzip:gzip sha256sum:coreutils; do
		cmd="${pair%%:*}" pkg="${pair#*:}"
		command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
	done
	((${#missing[@]} == 0)) && return 0
	if [[ "$(id -u)" != 0 ]]; then
		log "missing packages: ${missing[*]} (run as root or: apt-get install ${missing[*]})"
		exit 1
	fi
	log "installing ${missing[*]}"
	apt-get install -y -q -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2 ||
		{ apt-get update -q >&2 && apt-get install -y -q -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2; }
}
ensure_tools

resolve_kernel_pkg() {
	apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }'
}
kernel_pkg="${NOVACRON_GUEST_KERNEL_PKG:-$(resolve_kernel_pkg)}"
if [[ -z "$kernel_pkg" && "$(id -u)" == 0 ]]; then
	apt-get update -q >&2
	kernel_pkg="$(resolve_kernel_pkg)"
fi
[[ -n "$kernel_pkg" ]] || { log "cannot resolve linux-image-cloud-amd64 (run apt-get update)"; exit 1; }

# Downloaded .debs are kept between builds so changing init.sh does not download again.
debs="$out/debs"
mkdir -p "$debs"
# Drop .debs of kernels that linux-image-cloud-amd64 no longer points to.
find "$debs" -name '*.deb' ! -name "${kernel_pkg}_*" ! -name 'busybox-static_*' -delete
for pkg in "$kernel_pkg" busybox-static; do
	if ! compgen -G "$debs/${pkg}_*.deb" >/dev/null; then
		log "downloading $pkg"
		(cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >&2)
	fi
done

work="$(mktemp -d "$out/.work.XXXXXX")"
trap 'rm -rf "$work"' EXIT

for deb in "$debs/${kernel_pkg}"_*.deb "$debs"/busybox-static_*.deb; do
	dpkg-deb -x "$deb" "$work/pkg"
done

root="$work/root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,lib/modules}
cp "$work/pkg/bin/busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"

moddir="$(echo "$work"/pkg/lib/modules/*/kernel)"
for m in "${modules[@]}"; do
	src="$(find "$moddir" -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" -o -name "$m.ko.gz" | head -n1)"
	[[ -n "$src" ]] || { log "module $m not found in $kernel_pkg"; exit 1; }
	# busybox insmod reads plain .ko only, so decompress whatever form Debian ships.
	case "$src" in
	*.ko.xz) xz -dc "$src" >"$root/lib/modules/$m.ko" ;;
	*.ko.zst) zstd -dcq "$src" >"$root/lib/modules/$m.ko" ;;
	*.ko.gz) gzip -dc "$src" >"$root/lib/modules/$m.ko" ;;
	*) cp "$src" "$root/lib/modules/$m.ko" ;;
	esac
done
install -m 755 "$here/init.sh" "$root/init"

# The host has no cpio package; busybox's applet writes the newc format the kernel wants.
(cd "$root" && find . | LC_ALL=C sort | "$root/bin/busybox" cpio -o -H newc 2>/dev/null) |
	gzip -9 >"$work/initrd.img"
cp "$(echo "$work"/pkg/boot/vmlinuz-*)" "$work/vmlinuz"

# Superfloppy FAT disk (no partition table) with syslinux in the boot sector: no loop mount.
cat >"$work/syslinux.cfg" <<'EOF'
DEFAULT novacron
PROMPT 0
TIMEOUT 0
LABEL novacron
  KERNEL vmlinuz
  APPEND initrd=initrd.img console=ttyS0 quiet
EOF
kib=$(($(du -k "$work/vmlinuz" | cut -f1) + $(du -k "$work/initrd.img" | cut -f1) + 4096))
mkfs.vfat -C -n NOVACRON "$work/disk.img" "$kib" >/dev/null
syslinux --install "$work/disk.img"
mcopy -i "$work/disk.img" "$work/vmlinuz" "$work/initrd.img" "$work/syslinux.cfg" ::/
qemu-img convert -q -f raw -O qcow2 "$work/disk.img" "$work/disk.qcow2"

rm -f "$out/.stamp"
for f in "${outputs[@]}"; do mv -f "$work/$f" "$out/$f"; done
stamp_value >"$out/.stamp"
echo "$kernel_pkg" >"$out/kernel-package"
log "built $kernel_pkg guest in $((($(date +%s%N) - start) / 1000000)) ms into $out"
