/** The baseline: a bare express route answering a constant of the same shape as GET /integrations/{enterprise}. */
import express from 'express';

const ANSWER = {
  integrations: { retailcrm: true, ms: false, uon: true, smart: false },
  created_at: 1757159026.198, expires_at: 1757159116.198, age_seconds: 7.36, enterprise_number: '0367', source: 'cache',
};

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.get('/integrations/:enterprise', (_req, res) => {
  res.json(ANSWER);
});
app.listen(Number(process.env.PORT), '127.0.0.1');
