//! WdkDriverName: a WDM kernel driver. It creates `\Device\WdkDriverName` (`\\.\WdkDriverName` for user mode) and answers
//! IOCTL_PING with "PING" and the number of pings so far. Start your own driver from here.
#![no_std]

use core::ptr;
use core::sync::atomic::{AtomicU32, Ordering};
use wdkdriverid_common::{DEVICE_TYPE, IOCTL_PING, PING_REPLY};
use wdm_kernel::*;

// DriverEntry and DriverUnload: the device \Device\WdkDriverName and its link, create and close, the dispatch routines.
wdm_kernel::driver!("WdkDriverName", DEVICE_TYPE, [IRP_MJ_DEVICE_CONTROL => device_control]);

static PINGS: AtomicU32 = AtomicU32::new(0);

unsafe extern "system" fn device_control(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    let parameters = &(*(*irp).CurrentStackLocation).Parameters.DeviceIoControl;
    if parameters.IoControlCode != IOCTL_PING {
        DbgPrint(b"WdkDriverName: unknown control code 0x%08X\n\0".as_ptr(), parameters.IoControlCode);
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    if parameters.OutputBufferLength < 8 {
        return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
    }

    let count = PINGS.fetch_add(1, Ordering::Relaxed) + 1;
    let output = (*irp).SystemBuffer as *mut u8;
    ptr::copy_nonoverlapping(PING_REPLY.to_le_bytes().as_ptr(), output, 4);
    ptr::copy_nonoverlapping(count.to_le_bytes().as_ptr(), output.add(4), 4);
    DbgPrint(b"WdkDriverName: ping %u\n\0".as_ptr(), count);
    complete(irp, STATUS_SUCCESS, 8)
}
