/** Ceiling 1 (the platform's): node:http reading the body and answering the ack, nothing else. */
import { createServer } from 'node:http';
import { ACK_BODY } from '@callpipe/events';

const ack = JSON.stringify(ACK_BODY);
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(ack) });
    res.end(ack);
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
