/** The 32 px tray / menu-bar icon (the app's "P"), inlined so the tray never misses a file. */
export const TRAY_ICON_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAYklEQVR42mNgwAGE8pr+UxMzEAOobSlJjqGX5VgdQW/LMRwxsh0wUJbDHTFkHEAKGHAHkOKIoesAUuVHHTD8HDCaCwa8IBrwonjUAaMOGHXAsGgXjjbLB0/XbFB0Tgeqew4Atoedo2gJPVgAAAAASUVORK5CYII=';
