/* A stand-in for cargo.exe or rustc.exe (TOOL), for the Windows lane's test of Rust toolchain discovery: it answers
 * what the SDK asks a toolchain (--version; rustc's --print sysroot, the folder above its own bin folder, in UTF-8)
 * as a Windows program, so that the SDK finds it on PATH and runs it as it runs the real ones. Built by
 * eng/windows-lane.sh with mingw-w64. */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("%s 1.96.0 (stand-in 2026-12-07)\n", TOOL);
        return 0;
    }

    if (argc == 3 && strcmp(argv[1], "--print") == 0 && strcmp(argv[2], "sysroot") == 0) {
        static wchar_t path[32768];
        static char utf8[4 * 32768];
        DWORD length = GetModuleFileNameW(NULL, path, 32768);
        if (length == 0 || length >= 32768) {
            return 1;
        }

        for (int i = 0; i < 2; i++) {
            wchar_t *separator = wcsrchr(path, L'\\');
            if (separator == NULL) {
                return 1;
            }
            *separator = L'\0';
        }

        if (WideCharToMultiByte(CP_UTF8, 0, path, -1, utf8, sizeof utf8, NULL, NULL) == 0) {
            return 1;
        }
        printf("%s\n", utf8);
        return 0;
    }

    fprintf(stderr, "stand-in %s: unexpected arguments\n", TOOL);
    return 2;
}
