/* hello-client.exe: asks hello.sys for its greeting and prints it. Exit code 0 on success, 1 on any failure. */
#include <windows.h>
#include <winioctl.h>
#include <stdio.h>

#include "../driver/hello_ioctl.h"

int main(void)
{
    HANDLE device = CreateFileW(L"\\\\.\\Hello", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (device == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "hello-client: cannot open \\\\.\\Hello (error %lu): is the driver started?\n", GetLastError());
        return 1;
    }

    char greeting[64] = { 0 };
    DWORD returned = 0;
    BOOL ok = DeviceIoControl(device, IOCTL_HELLO_GREET, NULL, 0, greeting, sizeof(greeting) - 1, &returned, NULL);
    DWORD error = GetLastError();
    CloseHandle(device);
    if (!ok) {
        fprintf(stderr, "hello-client: IOCTL_HELLO_GREET failed (error %lu)\n", error);
        return 1;
    }

    printf("%s (%lu bytes)\n", greeting, returned);
    return 0;
}
