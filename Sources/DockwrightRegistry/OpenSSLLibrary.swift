#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's OpenSSL, loaded with `dlopen` the first time an HTTPS request is made.
///
/// Why not FoundationNetworking: linked into the static executable it brings libcurl and
/// about thirty shared libraries that the dynamic loader maps at every start, which took
/// `fix -` (editor on-save) from about 10 ms to about 40 ms. Loading OpenSSL only when
/// `pin` or `lint --online` talks to an HTTPS registry keeps every other command's
/// start-up as it was. Only non-variadic entry points are used, so calling them through
/// `dlsym` pointers is well defined.
final class OpenSSLLibrary: @unchecked Sendable {
    // Immutable after `init`; OpenSSL 1.1+ is thread-safe without locking callbacks.
    typealias Context = OpaquePointer
    typealias Connection = OpaquePointer

    // The entry points, named for what they do; `init` shows each one's C name.
    /// `TLS_client_method`.
    let clientMethod: @convention(c) () -> OpaquePointer?
    let newContext: @convention(c) (OpaquePointer?) -> Context?
    let freeContext: @convention(c) (Context?) -> Void
    let setDefaultVerifyPaths: @convention(c) (Context?) -> Int32
    let loadVerifyLocations: @convention(c) (Context?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32
    let setVerify: @convention(c) (Context?, Int32, OpaquePointer?) -> Void
    let newConnection: @convention(c) (Context?) -> Connection?
    let freeConnection: @convention(c) (Connection?) -> Void
    let setDescriptor: @convention(c) (Connection?, Int32) -> Int32
    let control: @convention(c) (Connection?, Int32, Int, UnsafeMutableRawPointer?) -> Int
    let setHost: @convention(c) (Connection?, UnsafePointer<CChar>?) -> Int32
    let connect: @convention(c) (Connection?) -> Int32
    let read: @convention(c) (Connection?, UnsafeMutableRawPointer?, Int32) -> Int32
    let write: @convention(c) (Connection?, UnsafeRawPointer?, Int32) -> Int32
    let shutdown: @convention(c) (Connection?) -> Int32
    let verifyResult: @convention(c) (Connection?) -> Int
    let verifyErrorString: @convention(c) (Int) -> UnsafePointer<CChar>?
    let nextError: @convention(c) () -> UInt
    let errorString: @convention(c) (UInt, UnsafeMutablePointer<CChar>?, Int) -> Void

    /// OpenSSL, or nil when no shared library of a supported version is installed.
    static let shared: OpenSSLLibrary? = OpenSSLLibrary()

    /// OpenSSL 3 first, then 1.1, which both have `TLS_client_method` and `SSL_set1_host`.
    private static let libraryNames = ["libssl.so.3", "libssl.so.1.1", "libssl.so", "libssl.3.dylib", "libssl.dylib"]

    private init?() {
        guard let handle = Self.libraryNames.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else {
            return nil
        }
        func symbol<Function>(_ name: String, as type: Function.Type) -> Function? {
            guard let address = dlsym(handle, name) else { return nil }
            return unsafeBitCast(address, to: type)
        }
        guard
            let clientMethod = symbol("TLS_client_method", as: (@convention(c) () -> OpaquePointer?).self),
            let newContext = symbol("SSL_CTX_new", as: (@convention(c) (OpaquePointer?) -> Context?).self),
            let freeContext = symbol("SSL_CTX_free", as: (@convention(c) (Context?) -> Void).self),
            let setDefaultVerifyPaths = symbol(
                "SSL_CTX_set_default_verify_paths", as: (@convention(c) (Context?) -> Int32).self),
            let loadVerifyLocations = symbol(
                "SSL_CTX_load_verify_locations",
                as: (@convention(c) (Context?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32).self),
            let setVerify = symbol("SSL_CTX_set_verify", as: (@convention(c) (Context?, Int32, OpaquePointer?) -> Void).self),
            let newConnection = symbol("SSL_new", as: (@convention(c) (Context?) -> Connection?).self),
            let freeConnection = symbol("SSL_free", as: (@convention(c) (Connection?) -> Void).self),
            let setDescriptor = symbol("SSL_set_fd", as: (@convention(c) (Connection?, Int32) -> Int32).self),
            let control = symbol(
                "SSL_ctrl", as: (@convention(c) (Connection?, Int32, Int, UnsafeMutableRawPointer?) -> Int).self),
            let setHost = symbol("SSL_set1_host", as: (@convention(c) (Connection?, UnsafePointer<CChar>?) -> Int32).self),
            let connect = symbol("SSL_connect", as: (@convention(c) (Connection?) -> Int32).self),
            let read = symbol("SSL_read", as: (@convention(c) (Connection?, UnsafeMutableRawPointer?, Int32) -> Int32).self),
            let write = symbol("SSL_write", as: (@convention(c) (Connection?, UnsafeRawPointer?, Int32) -> Int32).self),
            let shutdown = symbol("SSL_shutdown", as: (@convention(c) (Connection?) -> Int32).self),
            let verifyResult = symbol("SSL_get_verify_result", as: (@convention(c) (Connection?) -> Int).self),
            let verifyErrorString = symbol(
                "X509_verify_cert_error_string", as: (@convention(c) (Int) -> UnsafePointer<CChar>?).self),
            let nextError = symbol("ERR_get_error", as: (@convention(c) () -> UInt).self),
            let errorString = symbol(
                "ERR_error_string_n", as: (@convention(c) (UInt, UnsafeMutablePointer<CChar>?, Int) -> Void).self)
        else { return nil }
        self.clientMethod = clientMethod
        self.newContext = newContext
        self.freeContext = freeContext
        self.setDefaultVerifyPaths = setDefaultVerifyPaths
        self.loadVerifyLocations = loadVerifyLocations
        self.setVerify = setVerify
        self.newConnection = newConnection
        self.freeConnection = freeConnection
        self.setDescriptor = setDescriptor
        self.control = control
        self.setHost = setHost
        self.connect = connect
        self.read = read
        self.write = write
        self.shutdown = shutdown
        self.verifyResult = verifyResult
        self.verifyErrorString = verifyErrorString
        self.nextError = nextError
        self.errorString = errorString
    }

    /// `SSL_VERIFY_PEER`: the handshake fails unless the certificate chain verifies.
    static let verifyPeer: Int32 = 1
    /// `SSL_CTRL_SET_TLSEXT_HOSTNAME`, the `SSL_set_tlsext_host_name` macro's control code (SNI).
    static let setServerNameControl: Int32 = 55
    /// `TLSEXT_NAMETYPE_host_name`.
    static let hostNameType = 0

    /// The oldest queued OpenSSL error as text, clearing the queue.
    func drainErrors() -> String? {
        var first: String?
        while case let code = nextError(), code != 0 {
            guard first == nil else { continue }
            var buffer = [CChar](repeating: 0, count: 256)
            errorString(code, &buffer, buffer.count)
            first = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return first
    }
}
