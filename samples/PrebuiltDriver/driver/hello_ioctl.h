/* What the driver and its client agree on. */
#pragma once

#define HELLO_DEVICE_TYPE 0x8000
#define IOCTL_HELLO_GREET CTL_CODE(HELLO_DEVICE_TYPE, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)
