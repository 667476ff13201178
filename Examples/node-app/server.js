const http = require("http");
http.createServer((request, response) => response.end("ok\n")).listen(3000);
