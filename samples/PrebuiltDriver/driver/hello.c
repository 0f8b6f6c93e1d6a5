/*
 * hello.sys: a WDM driver in C, built with mingw-w64. It creates \Device\Hello (\\.\Hello for user mode) and answers
 * IOCTL_HELLO_GREET with a greeting; DbgPrint tells what it does.
 */
#include <ntddk.h>

#include "hello_ioctl.h"

static const char Greeting[] = "Hello from the kernel";

static UNICODE_STRING DeviceName = RTL_CONSTANT_STRING(L"\\Device\\Hello");
static UNICODE_STRING LinkName = RTL_CONSTANT_STRING(L"\\??\\Hello");

/* ld writes no .reloc section for a driver whose code is all RIP-relative; one absolute address keeps it. */
__attribute__((used)) static void *const RelocationAnchor = (void *)&Greeting;

static NTSTATUS Complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static NTSTATUS DispatchCreateClose(PDEVICE_OBJECT device, PIRP irp)
{
    UNREFERENCED_PARAMETER(device);
    DbgPrint("hello: %s\n", IoGetCurrentIrpStackLocation(irp)->MajorFunction == IRP_MJ_CREATE ? "create" : "close");
    return Complete(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS DispatchDeviceControl(PDEVICE_OBJECT device, PIRP irp)
{
    UNREFERENCED_PARAMETER(device);
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    ULONG code = stack->Parameters.DeviceIoControl.IoControlCode;
    if (code != (ULONG)IOCTL_HELLO_GREET) {
        DbgPrint("hello: unknown IOCTL 0x%08lx\n", code);
        return Complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }

    if (stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(Greeting)) {
        DbgPrint("hello: greeting needs %u bytes, got %lu\n", (unsigned)sizeof(Greeting), stack->Parameters.DeviceIoControl.OutputBufferLength);
        return Complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
    }

    RtlCopyMemory(irp->AssociatedIrp.SystemBuffer, Greeting, sizeof(Greeting));
    DbgPrint("hello: greeted (%u bytes)\n", (unsigned)sizeof(Greeting));
    return Complete(irp, STATUS_SUCCESS, sizeof(Greeting));
}

static void DriverUnload(PDRIVER_OBJECT driver)
{
    IoDeleteSymbolicLink(&LinkName);
    IoDeleteDevice(driver->DeviceObject);
    DbgPrint("hello: unloaded\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registryPath)
{
    UNREFERENCED_PARAMETER(registryPath);
    PDEVICE_OBJECT device;
    NTSTATUS status = IoCreateDevice(driver, 0, &DeviceName, FILE_DEVICE_UNKNOWN, 0, FALSE, &device);
    if (!NT_SUCCESS(status)) {
        DbgPrint("hello: IoCreateDevice failed 0x%08lx\n", status);
        return status;
    }

    status = IoCreateSymbolicLink(&LinkName, &DeviceName);
    if (!NT_SUCCESS(status)) {
        DbgPrint("hello: IoCreateSymbolicLink failed 0x%08lx\n", status);
        IoDeleteDevice(device);
        return status;
    }

    driver->DriverUnload = DriverUnload;
    driver->MajorFunction[IRP_MJ_CREATE] = DispatchCreateClose;
    driver->MajorFunction[IRP_MJ_CLOSE] = DispatchCreateClose;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = DispatchDeviceControl;
    DbgPrint("hello: loaded\n");
    return STATUS_SUCCESS;
}
