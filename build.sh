#!/usr/bin/env bash
# One entry point for a fresh machine of this kind (Debian 12 with the .NET 10 SDK):
#   ./build.sh demo   the main job (installs what it needs, builds, runs `sensing demo`)
#   ./build.sh test   every test suite (dotnet, CTest), ending with one line "N passed, N failed"
set -euo pipefail
cd "$(dirname "$0")"

APT_PACKAGES=(influxdb influxdb-client cmake gcc make)

need() { command -v "$1" >/dev/null 2>&1; }

ensure_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "build.sh: installing ${missing[*]} (Debian packages)"
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if ! need dotnet; then
    echo "build.sh: the .NET 10 SDK is required (dotnet not on PATH)" >&2
    exit 2
  fi
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

build() {
  dotnet build Sensing.sln -c Release -nologo -v q -clp:ErrorsOnly
}

run_tests() {
  local log; log=$(mktemp -d)
  local passed=0 failed=0 skipped=0 status=0

  # C reference of the wristband protocol: CMake + CTest.
  if cmake -S firmware-protocol/reference -B firmware-protocol/reference/build -DCMAKE_BUILD_TYPE=Release >"$log/cmake.txt" 2>&1 \
     && cmake --build firmware-protocol/reference/build -j2 >>"$log/cmake.txt" 2>&1; then
    ctest --test-dir firmware-protocol/reference/build --output-on-failure 2>&1 | tee "$log/ctest.txt" || status=1
    local line; line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log/ctest.txt" | tail -1 || true)
    if [ -n "$line" ]; then
      local total bad
      total=$(echo "$line" | sed -E 's/.*out of ([0-9]+).*/\1/')
      bad=$(echo "$line" | sed -E 's/.*tests passed, ([0-9]+) tests? failed.*/\1/')
      passed=$((passed + total - bad)); failed=$((failed + bad))
    else
      echo "build.sh: CTest printed no summary"; failed=$((failed + 1)); status=1
    fi
  else
    cat "$log/cmake.txt"; echo "build.sh: the C reference did not build"; failed=$((failed + 1)); status=1
  fi

  # Every .NET test project, one at a time (several start their own influxd).
  for project in tests/*/*.Tests.csproj; do
    local name; name=$(basename "$project" .csproj)
    echo "== $name"
    dotnet test "$project" -c Release --no-build -nologo 2>&1 | tee "$log/$name.txt" || status=1
    local summary; summary=$(grep -E '(Passed|Failed)!  - Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log/$name.txt" | tail -1 || true)
    if [ -n "$summary" ]; then
      passed=$((passed + $(echo "$summary" | sed -E 's/.*Passed: +([0-9]+).*/\1/')))
      failed=$((failed + $(echo "$summary" | sed -E 's/.*Failed: +([0-9]+),.*/\1/')))
      skipped=$((skipped + $(echo "$summary" | sed -E 's/.*Skipped: +([0-9]+).*/\1/')))
    else
      echo "build.sh: $name printed no test summary"; failed=$((failed + 1)); status=1
    fi
  done

  echo "skipped: $skipped"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
}

case "${1:-}" in
  demo)
    ensure_packages
    build
    shift
    exec dotnet src/Sensing.Cli/bin/Release/net10.0/sensing.dll demo "$@"
    ;;
  test)
    ensure_packages
    build
    run_tests
    ;;
  *)
    echo "usage: ./build.sh demo | test" >&2
    exit 2
    ;;
esac
