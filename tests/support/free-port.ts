import * as net from "node:net";

/** A free TCP port on 127.0.0.1 (the OS picks it; the server under test binds it right after). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.once("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const address = srv.address();
            srv.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
        });
    });
}
