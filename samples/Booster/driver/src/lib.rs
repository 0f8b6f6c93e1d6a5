//! Booster: a WDM driver that sets the priority of any thread on request from its client.
//! A port of the "Booster" lab of *Windows Kernel Programming*, written anew in Rust without crates.io.
#![no_std]

use booster_common::{ThreadData, DEVICE_TYPE, IOCTL_SET_PRIORITY};
use core::ffi::c_void;
use core::ptr;
use wdm_kernel::*;

static DEVICE_NAME: [u16; 15] = utf16(r"\Device\Booster");
static LINK_NAME: [u16; 11] = utf16(r"\??\Booster");

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
        DbgPrint(b"Booster: cannot create the device (0x%08X)\n\0".as_ptr(), status);
        return status;
    }

    (*driver).DriverUnload = Some(booster_unload);
    (*driver).MajorFunction[IRP_MJ_CREATE] = Some(booster_create_close);
    (*driver).MajorFunction[IRP_MJ_CLOSE] = Some(booster_create_close);
    (*driver).MajorFunction[IRP_MJ_DEVICE_CONTROL] = Some(booster_device_control);

    DbgPrint(b"Booster: loaded\n\0".as_ptr());
    STATUS_SUCCESS
}

unsafe extern "system" fn booster_unload(driver: *mut DRIVER_OBJECT) {
    delete_device(driver, &UNICODE_STRING::from_static(&LINK_NAME));
    DbgPrint(b"Booster: unloaded\n\0".as_ptr());
}

unsafe extern "system" fn booster_create_close(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    complete(irp, STATUS_SUCCESS, 0)
}

unsafe extern "system" fn booster_device_control(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    let stack = (*irp).CurrentStackLocation;
    let parameters = &(*stack).Parameters.DeviceIoControl;
    if parameters.IoControlCode != IOCTL_SET_PRIORITY {
        DbgPrint(b"Booster: unknown control code 0x%08X\n\0".as_ptr(), parameters.IoControlCode);
        return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    let status = set_priority(irp, parameters.InputBufferLength as usize);
    complete(irp, status, 0)
}

unsafe fn set_priority(irp: *mut IRP, length: usize) -> NTSTATUS {
    let buffer = (*irp).SystemBuffer as *const u8;
    if buffer.is_null() {
        DbgPrint(b"Booster: request without a buffer\n\0".as_ptr());
        return STATUS_INVALID_PARAMETER;
    }
    let request = match ThreadData::from_bytes(core::slice::from_raw_parts(buffer, length)) {
        Some(request) => request,
        None => {
            DbgPrint(b"Booster: request of %u bytes is too short\n\0".as_ptr(), length as u32);
            return STATUS_BUFFER_TOO_SMALL;
        }
    };
    if !request.priority_is_valid() {
        DbgPrint(b"Booster: priority %d is out of range\n\0".as_ptr(), request.priority);
        return STATUS_INVALID_PARAMETER;
    }

    let mut thread: PETHREAD = ptr::null_mut();
    let status = PsLookupThreadByThreadId(request.thread_id as usize as *mut c_void, &mut thread);
    if status < 0 {
        DbgPrint(b"Booster: thread %u not found (0x%08X)\n\0".as_ptr(), request.thread_id, status);
        return status;
    }
    DbgPrint(b"Booster: thread %u found, setting priority %d\n\0".as_ptr(), request.thread_id, request.priority);
    let previous = KeSetPriorityThread(thread, request.priority);
    ObfDereferenceObject(thread);
    DbgPrint(b"Booster: thread %u priority was %d, now %d\n\0".as_ptr(), request.thread_id, previous, request.priority);
    STATUS_SUCCESS
}
