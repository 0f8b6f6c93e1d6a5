//! MyDriver: a WDM kernel driver. It creates `\Device\MyDriver` (`\\.\MyDriver` for user mode) and answers
//! IOCTL_PING with "PING" and the number of pings so far. Start your own driver from here.
#![no_std]

use core::ptr;
use core::sync::atomic::{AtomicU32, Ordering};
use mydriver_common::{DEVICE_TYPE, IOCTL_PING, PING_REPLY};
use wdm_kernel::*;

// Both names must match the strings' lengths: the compiler checks it.
static DEVICE_NAME: [u16; "\\Device\\MyDriver".len()] = utf16("\\Device\\MyDriver");
static LINK_NAME: [u16; "\\??\\MyDriver".len()] = utf16("\\??\\MyDriver");

static PINGS: AtomicU32 = AtomicU32::new(0);

/// Keeps one absolute address in the image so the linker emits a relocation section: a driver must be relocatable.
#[used]
static RELOCATION_ANCHOR: unsafe extern "system" fn(*mut DRIVER_OBJECT, *const UNICODE_STRING) -> NTSTATUS =
    DriverEntry;

/// # Safety
/// Called once by the I/O manager with a valid driver object.
#[no_mangle]
pub unsafe extern "system" fn DriverEntry(driver: *mut DRIVER_OBJECT, _registry_path: *const UNICODE_STRING) -> NTSTATUS {
    let device_name = UNICODE_STRING::from_static(&DEVICE_NAME);
    let link_name = UNICODE_STRING::from_static(&LINK_NAME);

    if let Err(status) = create_device(driver, &device_name, &link_name, DEVICE_TYPE) {
        DbgPrint(b"MyDriver: cannot create the device (0x%08X)\n\0".as_ptr(), status);
        return status;
    }

    (*driver).DriverUnload = Some(unload);
    (*driver).MajorFunction[IRP_MJ_CREATE] = Some(create_close);
    (*driver).MajorFunction[IRP_MJ_CLOSE] = Some(create_close);
    (*driver).MajorFunction[IRP_MJ_DEVICE_CONTROL] = Some(device_control);
    DbgPrint(b"MyDriver: loaded\n\0".as_ptr());
    STATUS_SUCCESS
}

unsafe extern "system" fn unload(driver: *mut DRIVER_OBJECT) {
    delete_device(driver, &UNICODE_STRING::from_static(&LINK_NAME));
    DbgPrint(b"MyDriver: unloaded\n\0".as_ptr());
}

unsafe extern "system" fn create_close(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    complete(irp, STATUS_SUCCESS, 0)
}

unsafe extern "system" fn device_control(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    let parameters = &(*(*irp).CurrentStackLocation).Parameters.DeviceIoControl;
    if parameters.IoControlCode != IOCTL_PING {
        DbgPrint(b"MyDriver: unknown control code 0x%08X\n\0".as_ptr(), parameters.IoControlCode);
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    if parameters.OutputBufferLength < 8 {
        return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
    }

    let count = PINGS.fetch_add(1, Ordering::Relaxed) + 1;
    let output = (*irp).SystemBuffer as *mut u8;
    ptr::copy_nonoverlapping(PING_REPLY.to_le_bytes().as_ptr(), output, 4);
    ptr::copy_nonoverlapping(count.to_le_bytes().as_ptr(), output.add(4), 4);
    DbgPrint(b"MyDriver: ping %u\n\0".as_ptr(), count);
    complete(irp, STATUS_SUCCESS, 8)
}
