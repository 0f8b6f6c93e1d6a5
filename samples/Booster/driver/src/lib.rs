//! Booster: a WDM driver that sets the priority of any thread on request from its client.
//! A port of the "Booster" lab of *Windows Kernel Programming*, written anew in Rust without crates.io.
#![no_std]

use booster_common::{ThreadData, DEVICE_TYPE, IOCTL_SET_PRIORITY};
use core::ffi::c_void;
use core::ptr;
use wdm_kernel::*;

wdm_kernel::driver!("Booster", DEVICE_TYPE, [IRP_MJ_DEVICE_CONTROL => booster_device_control]);

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
