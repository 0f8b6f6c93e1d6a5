//! Zero: a WDM driver whose reads return zeroed buffers and whose writes are accepted and dropped, counting the
//! bytes of both; two control codes return and clear the counters. The "Zero" lab of *Windows Kernel Programming*,
//! written anew in Rust without crates.io.
#![no_std]

use core::sync::atomic::{AtomicU64, Ordering};
use wdm_kernel::*;
use zero_common::{Stats, DEVICE_TYPE, IOCTL_ZERO_CLEAR_STATS, IOCTL_ZERO_GET_STATS};

static DEVICE_NAME: [u16; 12] = utf16(r"\Device\Zero");
static LINK_NAME: [u16; 8] = utf16(r"\??\Zero");

static BYTES_READ: AtomicU64 = AtomicU64::new(0);
static BYTES_WRITTEN: AtomicU64 = AtomicU64::new(0);

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
        DbgPrint(b"Zero: cannot create the device (0x%08X)\n\0".as_ptr(), status);
        return status;
    }

    (*driver).DriverUnload = Some(zero_unload);
    (*driver).MajorFunction[IRP_MJ_CREATE] = Some(zero_create_close);
    (*driver).MajorFunction[IRP_MJ_CLOSE] = Some(zero_create_close);
    (*driver).MajorFunction[IRP_MJ_READ] = Some(zero_read);
    (*driver).MajorFunction[IRP_MJ_WRITE] = Some(zero_write);
    (*driver).MajorFunction[IRP_MJ_DEVICE_CONTROL] = Some(zero_device_control);
    DbgPrint(b"Zero: loaded\n\0".as_ptr());
    STATUS_SUCCESS
}

unsafe extern "system" fn zero_unload(driver: *mut DRIVER_OBJECT) {
    delete_device(driver, &UNICODE_STRING::from_static(&LINK_NAME));
    DbgPrint(b"Zero: unloaded\n\0".as_ptr());
}

unsafe extern "system" fn zero_create_close(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    complete(irp, STATUS_SUCCESS, 0)
}

unsafe extern "system" fn zero_read(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    let length = (*(*irp).CurrentStackLocation).Parameters.Read.Length as usize;
    let buffer = (*irp).SystemBuffer as *mut u8;
    if length > 0 && buffer.is_null() {
        return complete(irp, STATUS_INVALID_PARAMETER, 0);
    }
    if length > 0 {
        core::ptr::write_bytes(buffer, 0, length);
    }
    let total = BYTES_READ.fetch_add(length as u64, Ordering::Relaxed) + length as u64;
    DbgPrint(b"Zero: read %u bytes (%llu in all)\n\0".as_ptr(), length as u32, total);
    complete(irp, STATUS_SUCCESS, length)
}

unsafe extern "system" fn zero_write(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    let length = (*(*irp).CurrentStackLocation).Parameters.Write.Length as usize;
    let total = BYTES_WRITTEN.fetch_add(length as u64, Ordering::Relaxed) + length as u64;
    DbgPrint(b"Zero: wrote %u bytes (%llu in all)\n\0".as_ptr(), length as u32, total);
    complete(irp, STATUS_SUCCESS, length)
}

unsafe extern "system" fn zero_device_control(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    let parameters = &(*(*irp).CurrentStackLocation).Parameters.DeviceIoControl;
    match parameters.IoControlCode {
        IOCTL_ZERO_GET_STATS => {
            if (parameters.OutputBufferLength as usize) < Stats::SIZE {
                DbgPrint(b"Zero: statistics need %u bytes, got %u\n\0".as_ptr(), Stats::SIZE as u32, parameters.OutputBufferLength);
                return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
            }
            let stats = Stats { bytes_read: BYTES_READ.load(Ordering::Relaxed), bytes_written: BYTES_WRITTEN.load(Ordering::Relaxed) };
            let bytes = stats.to_bytes();
            core::ptr::copy_nonoverlapping(bytes.as_ptr(), (*irp).SystemBuffer as *mut u8, bytes.len());
            DbgPrint(b"Zero: statistics read %llu, written %llu\n\0".as_ptr(), stats.bytes_read, stats.bytes_written);
            complete(irp, STATUS_SUCCESS, bytes.len())
        }
        IOCTL_ZERO_CLEAR_STATS => {
            BYTES_READ.store(0, Ordering::Relaxed);
            BYTES_WRITTEN.store(0, Ordering::Relaxed);
            DbgPrint(b"Zero: statistics cleared\n\0".as_ptr());
            complete(irp, STATUS_SUCCESS, 0)
        }
        code => {
            DbgPrint(b"Zero: unknown control code 0x%08X\n\0".as_ptr(), code);
            complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0)
        }
    }
}
