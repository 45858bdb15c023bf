/** Ceiling 2 (this stack's): express parsing the JSON body and answering the ack, nothing else. */
import express from 'express';
import { ACK_BODY } from '@callpipe/events';

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.use(express.json({ type: () => true }));
app.post('/:event', (_req, res) => {
  res.json(ACK_BODY);
});
app.listen(Number(process.env.PORT), '127.0.0.1');
