#!/bin/sh
# 政府信息公开一体机启动脚本（由 catalog build --kiosk 生成，放在一体机包的根目录）。
#
# 先在本机 127.0.0.1 上提供本目录（网站和离线检索接口 /api/search），等服务应答后，
# 以全屏一体机模式打开 Chromium；Chromium 退出时停止服务（由开机自启或 systemd 负责重启）。
# 需要：本项目的 catalog 命令、chromium、fonts-noto-cjk。详见 docs/kiosk.md。
#
# 可用环境变量：KIOSK_PORT（默认 @PORT@，须与 chromium-policy.json 中的端口一致）、
# CATALOG（catalog 命令的路径）、CHROMIUM（浏览器命令的路径）。
set -eu

BUNDLE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
PORT=${KIOSK_PORT:-@PORT@}
URL="http://127.0.0.1:$PORT/kiosk/index.html"
CATALOG=${CATALOG:-catalog}
CHROMIUM=${CHROMIUM:-chromium}

"$CATALOG" serve --kiosk --site "$BUNDLE" --host 127.0.0.1 --port "$PORT" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT INT TERM

tries=0
until python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$URL" 2>/dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ] || ! kill -0 "$SERVER" 2>/dev/null; then
    echo "一体机检索服务未能在 127.0.0.1:$PORT 上启动。" >&2
    exit 1
  fi
  sleep 0.5
done

"$CHROMIUM" --kiosk --incognito --noerrdialogs --disable-pinch --overscroll-history-navigation=0 \
  --no-first-run --disable-translate --disable-features=Translate --disable-sync \
  --disable-background-networking --disable-component-update "$URL"
